namespace IndexForge.Resilience.Bench.Anchors;

/// <summary>Finds the anchor tools on PATH; tests substitute their own lookup.</summary>
public class ToolLocator
{
    public virtual string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
