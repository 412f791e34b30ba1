namespace InProc.Execution;

/// <summary>Where <see cref="JobExecutor"/> reports what happened to an attempt.</summary>
internal interface IJobOutcomeSink
{
    bool TryStart(Envelope envelope);

    void Succeeded(Envelope envelope);

    void Failed(Envelope envelope, Exception error);

    void StoppedByShutdown(Envelope envelope);
}
