namespace IndexForge.Resilience.Cli;

/// <summary>Where the repository's scenarios, clusters and reports are, wherever the command is run from.</summary>
public sealed record RepoLayout(string Root)
{
    public const string SolutionFile = "IndexForge.Resilience.sln";

    public string Scenarios => Path.Combine(Root, "scenarios");
    public string Clusters => Path.Combine(Root, "clusters");
    public string Reports => Path.Combine(Root, "reports");

    /// <summary>INDEXFORGE_REPO (set by run.sh), else the first directory upwards holding the solution, from the working directory or the binary.</summary>
    public static RepoLayout Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("INDEXFORGE_REPO");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return new RepoLayout(Path.GetFullPath(fromEnv));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return new RepoLayout(dir.FullName);
            }
        }
        return new RepoLayout(Directory.GetCurrentDirectory());
    }
}
