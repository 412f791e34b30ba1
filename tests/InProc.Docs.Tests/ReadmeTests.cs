using System.Text.RegularExpressions;
using Xunit;

namespace InProc.Docs.Tests;

/// <summary>
/// The README's "Testing your code" section shows code that is compiled and run here: each complete example is a
/// file of this project, shown whole, and every other C# snippet in the section is copied from a compiled test.
/// Edit the file, then paste it into the README (or the other way round); this test fails until both agree. The
/// "Recurring jobs" section's snippets are runs of lines of tests/InProc.Docs.Tests/Recurring, compiled and run too.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string[] CompleteExamples = ["MyApp.cs", "RecordingMailer.cs", "SignupSynchronousTests.cs", "SignupFakeTests.cs"];

    [Fact]
    public void TestingSection_CompleteExamples_AreTheCompiledFilesWhole()
    {
        var blocks = CSharpBlocks(TestingSection());

        foreach (var name in CompleteExamples)
        {
            var file = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "InProc.Docs.Tests", "Testing", name)));
            Assert.True(blocks.Contains(file), $"README.md's \"Testing your code\" section does not show tests/InProc.Docs.Tests/Testing/{name} as it is.");
        }
    }

    [Fact]
    public void TestingSection_EveryCSharpSnippet_IsCopiedFromCompiledCode()
    {
        var root = RepositoryRoot();
        var compiled = new[] { Path.Combine(root, "tests", "InProc.Docs.Tests", "Testing"), Path.Combine(root, "tests", "InProc.Samples.Tests") }
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.TopDirectoryOnly))
            .Select(path => Lines(File.ReadAllText(path)))
            .ToList();

        foreach (var block in CSharpBlocks(TestingSection()))
        {
            var lines = Lines(block);
            Assert.True(compiled.Exists(file => ContainsRun(file, lines)), "This README snippet is not in a compiled test file:\n" + block);
        }
    }

    [Theory]
    [InlineData("Recurring jobs", "Recurring")]
    [InlineData("Durable jobs (SQLite journal)", "Journal")]
    [InlineData("Unique jobs and limits", "Limits")]
    public void Section_EveryCSharpSnippet_IsCopiedFromCompiledCode(string section, string folder)
    {
        var compiled = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "tests", "InProc.Docs.Tests", folder), "*.cs")
            .Select(path => Lines(File.ReadAllText(path)))
            .ToList();

        var blocks = CSharpBlocks(Section(section));
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var lines = Lines(block);
            Assert.True(compiled.Exists(file => ContainsRun(file, lines)), $"This README snippet is not in tests/InProc.Docs.Tests/{folder}:\n" + block);
        }
    }

    private static string TestingSection() => Section("Testing your code");

    private static string Section(string title)
    {
        var readme = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));
        var start = readme.IndexOf($"\n## {title}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no \"## {title}\" section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static List<string> CSharpBlocks(string markdown) =>
        [.. CSharpBlock().Matches(markdown).Select(m => Normalize(m.Groups["code"].Value))];

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim('\n');

    // Compared without indentation, so a snippet can be shown at the margin.
    private static string[] Lines(string text) => [.. Normalize(text).Split('\n').Select(l => l.Trim())];

    private static bool ContainsRun(string[] file, string[] run)
    {
        for (var i = 0; i + run.Length <= file.Length; i++)
        {
            if (file.AsSpan(i, run.Length).SequenceEqual(run))
            {
                return true;
            }
        }

        return false;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InProc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("InProc.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
