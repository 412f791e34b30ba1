using System.Diagnostics.CodeAnalysis;

namespace InProc.Recurring;

/// <summary>
/// What one <c>AddRecurringJob</c> call recorded, checked at start-up. The message type is known at compile time
/// in the factory form; the one-type-argument form finds it from the job's single <c>IJob&lt;T&gt;</c> and records
/// a <see cref="MessageProblem"/> instead when it cannot.
/// </summary>
internal sealed class RecurringJobRegistration
{
    private readonly Func<DateTimeOffset, object>? _messageFactory;

    private RecurringJobRegistration(
        string name, string expression, Type jobType, Type? messageType, Func<DateTimeOffset, object>? messageFactory, string? messageProblem, RecurringJobOptions options)
    {
        Name = name;
        Expression = expression;
        JobType = jobType;
        MessageType = messageType;
        _messageFactory = messageFactory;
        MessageProblem = messageProblem;
        Options = options;
    }

    public string Name { get; }

    public string Expression { get; }

    public Type JobType { get; }

    /// <summary>The <c>T</c> of the <c>IJob&lt;T&gt;</c> a run sends; null when <see cref="MessageProblem"/> says why.</summary>
    public Type? MessageType { get; }

    /// <summary>Why no message can be made for a run (a start-up error), or null.</summary>
    public string? MessageProblem { get; }

    public RecurringJobOptions Options { get; }

    /// <summary>Makes the message of the run for <paramref name="slot"/>: user code, so it may throw.</summary>
    /// <param name="slot">The scheduled time, in the schedule's time zone.</param>
    /// <exception cref="InvalidOperationException">The registration has a <see cref="MessageProblem"/>, or the factory returned null.</exception>
    public object CreateMessage(DateTimeOffset slot)
    {
        if (_messageFactory is null)
        {
            throw new InvalidOperationException(MessageProblem);
        }

        return _messageFactory(slot)
            ?? throw new InvalidOperationException($"The message factory of recurring job '{Name}' returned null for the slot {slot:O}.");
    }

    public static RecurringJobRegistration ForFactory<TJob, TMessage>(string name, string expression, Func<DateTimeOffset, TMessage> factory, RecurringJobOptions options)
        where TJob : class, IJob<TMessage> =>
        new(name, expression, typeof(TJob), typeof(TMessage), slot => factory(slot)!, null, options);

    /// <summary>For a job whose message is created with its public parameterless constructor, one per run.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = "The message type is the T of an IJob<T> the job implements. If trimming removed its constructor, the start-up check reports it; the factory overload is the trim-safe form.")]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = "As above: a constructor missing after trimming is reported at start-up, not at the first run.")]
    public static RecurringJobRegistration ForParameterlessMessage(
        string name, string expression, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] Type jobType, RecurringJobOptions options)
    {
        var messageTypes = jobType.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IJob<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToArray();
        var factoryForm = $"AddRecurringJob<{jobType.Name}, TMessage>(\"{name}\", \"{expression}\", slot => new TMessage(...))";
        if (messageTypes.Length != 1)
        {
            var problem = messageTypes.Length == 0
                ? $"Recurring job '{name}' runs '{jobType.Name}', which implements no IJob<TMessage>. Implement IJob<YourMessage> on it."
                : $"Recurring job '{name}' runs '{jobType.Name}', which implements {string.Join(" and ", messageTypes.Select(t => $"IJob<{t.Name}>"))}; say which message a run sends with {factoryForm}.";
            return new(name, expression, jobType, null, null, problem, options);
        }

        var messageType = messageTypes[0];
        if (messageType.IsAbstract || (!messageType.IsValueType && messageType.GetConstructor(Type.EmptyTypes) is null))
        {
            var problem = $"Recurring job '{name}' sends '{messageType.Name}', which has no public parameterless constructor to create one per run. Give the message with {factoryForm}; the factory gets the slot's scheduled time.";
            return new(name, expression, jobType, null, null, problem, options);
        }

        return new(name, expression, jobType, messageType, _ => Activator.CreateInstance(messageType)!, null, options);
    }
}
