namespace InProc.Testing;

internal static class TestingConstants
{
    // RunAllAsync stops after this many jobs: far more than a test enqueues, and a job that enqueues another
    // without end fails the test in well under a second instead of hanging it.
    public const int DefaultMaxJobs = 10_000;
}
