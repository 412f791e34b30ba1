using System.Threading.Channels;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// The floor: a bounded <see cref="Channel{T}"/> read by N consumer tasks that call the job body directly. Same channel
/// options as an InProc queue (bounded, wait when full, no synchronous continuations), no envelope, no DI, no records.
/// The consumers wait the way InProc's workers do (<see cref="ChannelConsumer.WaitToReadTryRead"/>) unless told to
/// use <see cref="ChannelConsumer.ReadAsync"/> (one waiter woken per item).
/// </summary>
public sealed class RawChannelPeer<T> : IAsyncDisposable
{
    private readonly Channel<T> _channel;
    private readonly Func<T, Task> _body;
    private readonly int _workers;
    private readonly ChannelConsumer _consumer;
    private Task[] _consumers = [];

    public RawChannelPeer(int workers, int capacity, Func<T, Task> body, bool start = true, ChannelConsumer consumer = ChannelConsumer.WaitToReadTryRead)
    {
        _workers = workers;
        _consumer = consumer;
        _body = body;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = workers == 1,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        if (start)
        {
            Start();
        }
    }

    public ChannelWriter<T> Writer => _channel.Writer;

    public int Waiting => _channel.Reader.Count;

    /// <summary>Empties the channel without running the body (for a peer whose consumers were never started).</summary>
    public int Drain()
    {
        var count = 0;
        while (_channel.Reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }

    public void Start()
    {
        var consumers = new Task[_workers];
        for (var i = 0; i < consumers.Length; i++)
        {
            consumers[i] = _consumer == ChannelConsumer.ReadAsync ? Task.Run(ReadLoopAsync) : Task.Run(ConsumeAsync);
        }

        _consumers = consumers;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAll(_consumers);
    }

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                await _body(item).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (true)
            {
                var item = await reader.ReadAsync().ConfigureAwait(false);
                await _body(item).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException)
        {
            // Completed by DisposeAsync and empty: this consumer is done.
        }
    }
}
