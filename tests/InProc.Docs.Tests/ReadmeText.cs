namespace InProc.Docs.Tests;

/// <summary>The repository's README.md, found from the test's output folder, with "\n" line endings.</summary>
internal static class ReadmeText
{
    public static string Read() => File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

    public static string RepositoryRoot()
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
}
