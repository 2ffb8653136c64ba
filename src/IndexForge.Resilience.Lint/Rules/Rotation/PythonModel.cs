using System.Text.RegularExpressions;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Rotation;

/// <summary>Line-level reading of Python source: comments and strings are blanked so patterns match code only.</summary>
public static partial class PythonModel
{
    [GeneratedRegex("""(#.*$)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")]
    private static partial Regex CommentOrString();

    /// <summary>The code of each line with string contents and comments blanked (1-based line numbers).</summary>
    public static IEnumerable<(int Line, string Code)> CodeLines(PythonFile file) =>
        file.Lines.Select((text, i) => (i + 1, CommentOrString().Replace(text, m => m.Groups[1].Success ? "" : "\"\"")));

    /// <summary>Text of a call starting at a line, until its parentheses balance (for keyword arguments over several lines).</summary>
    public static string CallText(PythonFile file, int line, int column)
    {
        var sb = new System.Text.StringBuilder();
        var depth = 0;
        var started = false;
        for (var i = line - 1; i < file.Lines.Count; i++)
        {
            var text = i == line - 1 ? file.Lines[i][column..] : file.Lines[i];
            foreach (var c in text)
            {
                sb.Append(c);
                if (c == '(') { depth++; started = true; }
                else if (c == ')' && --depth == 0 && started) return sb.ToString();
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Names bound to a synchronous hvac client (self.client, client, ...).</summary>
    public static IReadOnlySet<string> HvacClientNames(PythonFile file)
    {
        var code = CodeLines(file).ToList();
        var importsClient = code.Any(l => Regex.IsMatch(l.Code, @"^\s*from\s+hvac\s+import\s+.*\bClient\b"));
        var importsModule = code.Any(l => Regex.IsMatch(l.Code, @"^\s*import\s+hvac\b"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in code)
        {
            var m = Regex.Match(text, @"^\s*([A-Za-z_][\w.]*)\s*=\s*(hvac\.)?Client\s*\(");
            if (!m.Success) continue;
            if (m.Groups[2].Success ? importsModule : importsClient) names.Add(m.Groups[1].Value);
        }
        return names;
    }
}
