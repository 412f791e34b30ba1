using InProc.Testing;

namespace InProc.Tests.Testing;

/// <summary>
/// InProc.Testing's public surface is recorded in src/InProc.Testing/PublicApi.txt, like the core's (see
/// <see cref="PublicApiTests"/>). To accept a change, run with INPROC_UPDATE_PUBLIC_API=1 and commit the file.
/// </summary>
public sealed class TestingPublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheRecordedSurface()
    {
        var actual = PublicApiTests.Describe(typeof(FakeJobQueue).Assembly);
        var path = Path.Combine(PublicApiTests.RepositoryRoot(), "src", "InProc.Testing", "PublicApi.txt");

        if (Environment.GetEnvironmentVariable("INPROC_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PublicClasses_AreSealedStaticOrAbstract()
    {
        var open = typeof(FakeJobQueue).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract);

        Assert.Empty(open);
    }
}
