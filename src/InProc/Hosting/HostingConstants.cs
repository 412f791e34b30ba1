namespace InProc.Hosting;

internal static class HostingConstants
{
    // Heroku and Kubernetes kill 30 s after SIGTERM: drain for 25 s, then cancel, then a short grace.
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(25);
    public static readonly TimeSpan DefaultShutdownGracePeriod = TimeSpan.FromSeconds(3);
}
