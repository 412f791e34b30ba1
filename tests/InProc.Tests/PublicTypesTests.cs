namespace InProc.Tests;

/// <summary>
/// The core's public classes are sealed or static: nothing is designed for inheritance. (The list of public members is
/// checked at build time by Microsoft.CodeAnalysis.PublicApiAnalyzers against src/InProc/PublicAPI.*.txt.)
/// </summary>
public sealed class PublicTypesTests
{
    [Fact]
    public void PublicClasses_AreSealedOrStatic()
    {
        var open = typeof(IJobQueue).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t));

        Assert.Empty(open);
    }
}
