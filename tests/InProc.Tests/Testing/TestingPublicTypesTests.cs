using InProc.Testing;

namespace InProc.Tests.Testing;

/// <summary>
/// InProc.Testing's public classes are sealed, static or abstract (its public members are checked at build time by
/// Microsoft.CodeAnalysis.PublicApiAnalyzers against src/InProc.Testing/PublicAPI.*.txt).
/// </summary>
public sealed class TestingPublicTypesTests
{
    [Fact]
    public void PublicClasses_AreSealedStaticOrAbstract()
    {
        var open = typeof(FakeJobQueue).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract);

        Assert.Empty(open);
    }
}
