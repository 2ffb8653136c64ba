using System.Text;
using IndexForge.Resilience.Testing;
using Xunit.Sdk;

namespace IndexForge.Resilience.Reports.Tests;

/// <summary>
/// Golden-file comparison. A changed output fails with the differing lines; run the tests with
/// INDEXFORGE_UPDATE_GOLDEN=1 to rewrite the files, then review the diff in git.
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "INDEXFORGE_UPDATE_GOLDEN";

    public static string PathOf(string name) => RepoPaths.Of("tests", "IndexForge.Resilience.Reports.Tests", "Golden", name);

    public static void Verify(string name, string actual)
    {
        var path = PathOf(name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        if (!File.Exists(path))
            throw new XunitException($"golden file {path} is missing; run with {UpdateVariable}=1 to create it");
        var expected = File.ReadAllText(path);
        var diff = Diff(expected, actual);
        if (diff is not null)
            throw new XunitException($"output differs from golden file {name} (run with {UpdateVariable}=1 to accept):\n{diff}");
    }

    /// <summary>A readable line diff (first differences, with line numbers), or null when equal.</summary>
    public static string? Diff(string expected, string actual, int maxLines = 20)
    {
        if (expected == actual) return null;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < maxLines; i++)
        {
            var el = i < e.Length ? e[i] : null;
            var al = i < a.Length ? a[i] : null;
            if (el == al) continue;
            sb.Append($"line {i + 1}:\n  - {el ?? "<missing>"}\n  + {al ?? "<missing>"}\n");
            shown++;
        }
        if (sb.Length == 0) sb.Append("(only whitespace at the end differs)");
        return sb.ToString();
    }
}
