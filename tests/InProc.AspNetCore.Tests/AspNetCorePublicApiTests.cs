using InProc.Tests;

namespace InProc.AspNetCore.Tests;

/// <summary>
/// InProc.AspNetCore's public surface is recorded in src/InProc.AspNetCore/PublicApi.txt, like the core's. To accept a
/// change, run with INPROC_UPDATE_PUBLIC_API=1 and commit the file.
/// </summary>
public sealed class AspNetCorePublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheRecordedSurface()
    {
        var actual = PublicApiTests.Describe(typeof(InProcDashboardOptions).Assembly);
        var path = Path.Combine(PublicApiTests.RepositoryRoot(), "src", "InProc.AspNetCore", "PublicApi.txt");

        if (Environment.GetEnvironmentVariable("INPROC_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";
        Assert.Equal(expected, actual);
    }
}
