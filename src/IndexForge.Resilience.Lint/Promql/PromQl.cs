using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Lint.Promql;

/// <summary>A label matcher of a vector selector, e.g. response_code=~"5..".</summary>
public sealed record LabelMatcher(string Label, string Op, string Value)
{
    /// <summary>Whether a label value passes this matcher (PromQL regexes are fully anchored).</summary>
    public bool Accepts(string value) => Op switch
    {
        "=" => value == Value,
        "!=" => value != Value,
        "=~" => Regex.IsMatch(value, "^(?:" + Value + ")$"),
        "!~" => !Regex.IsMatch(value, "^(?:" + Value + ")$"),
        _ => false,
    };
}

public sealed record VectorSelector(string Metric, IReadOnlyList<LabelMatcher> Matchers, int Offset)
{
    public IEnumerable<LabelMatcher> On(string label) => Matchers.Where(m => m.Label == label);
}

/// <summary>A function or aggregation call with the raw text of its arguments.</summary>
public sealed record Call(string Name, string Arguments, int Offset);

/// <summary>
/// A light PromQL reader: enough to list the vector selectors, calls and grouping clauses of an
/// expression. It does not evaluate; promtool (when installed) is the full parser.
/// </summary>
public static class PromQl
{
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN",
    };

    public static readonly IReadOnlySet<string> Aggregations = new HashSet<string>(StringComparer.Ordinal)
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    };

    private static readonly Regex MatcherRegex = new("""\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*,?""", RegexOptions.Compiled);

    public static IReadOnlyList<VectorSelector> Selectors(string expr)
    {
        var result = new List<VectorSelector>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`') { i = SkipString(expr, i); continue; }
            if (c == '[') { i = Skip(expr, i, '[', ']'); continue; }
            if (c == '{')
            {
                // A selector with only matchers ({__name__="x"}) — take the name if given.
                var end = Skip(expr, i, '{', '}');
                var matchers = Matchers(expr[(i + 1)..Math.Max(i + 1, end - 1)]);
                var name = matchers.FirstOrDefault(m => m.Label == "__name__" && m.Op == "=")?.Value;
                if (name is not null) result.Add(new VectorSelector(name, matchers, i));
                i = end;
                continue;
            }
            if (char.IsLetter(c) || c == '_' || c == ':')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] is '_' or ':')) i++;
                var ident = expr[start..i];
                var j = SkipSpace(expr, i);
                var next = j < expr.Length ? expr[j] : '\0';
                if (ident is "by" or "without" or "on" or "ignoring" or "group_left" or "group_right")
                {
                    if (next == '(') i = Skip(expr, j, '(', ')');
                    continue;
                }
                if (Keywords.Contains(ident) || Aggregations.Contains(ident) || next == '(') continue; // keyword, function or aggregation name
                if (IsDurationSuffix(expr, start)) continue;
                var selectorMatchers = new List<LabelMatcher>();
                if (next == '{')
                {
                    var end = Skip(expr, j, '{', '}');
                    selectorMatchers.AddRange(Matchers(expr[(j + 1)..Math.Max(j + 1, end - 1)]));
                    i = end;
                }
                result.Add(new VectorSelector(ident, selectorMatchers, start));
                continue;
            }
            i++;
        }
        return result;
    }

    public static IReadOnlyList<string> MetricNames(string expr) => Selectors(expr).Select(s => s.Metric).Distinct().ToList();

    /// <summary>Every call of a function or aggregation with its argument text.</summary>
    public static IReadOnlyList<Call> Calls(string expr)
    {
        var calls = new List<Call>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`') { i = SkipString(expr, i); continue; }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] == '_')) i++;
                var ident = expr[start..i];
                var j = SkipSpace(expr, i);
                if (j < expr.Length && expr[j] == '(' && ident is not ("by" or "without" or "on" or "ignoring" or "group_left" or "group_right"))
                {
                    var end = Skip(expr, j, '(', ')');
                    calls.Add(new Call(ident, expr[(j + 1)..Math.Max(j + 1, end - 1)], start));
                }
                continue;
            }
            i++;
        }
        return calls;
    }

    /// <summary>Splits call arguments at top-level commas.</summary>
    public static IReadOnlyList<string> SplitArguments(string arguments)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c is '"' or '\'' or '`') { i = SkipString(arguments, i) - 1; continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == ',' && depth == 0) { parts.Add(arguments[start..i].Trim()); start = i + 1; }
        }
        parts.Add(arguments[start..].Trim());
        return parts;
    }

    /// <summary>Labels kept by the aggregations of an expression: (aggregation, by|without, labels).</summary>
    public static IReadOnlyList<(string Aggregation, string Mode, IReadOnlyList<string> Labels)> Groupings(string expr)
    {
        var result = new List<(string, string, IReadOnlyList<string>)>();
        var pattern = new Regex(@"\b(" + string.Join("|", Aggregations) + @")\b\s*(?:(by|without)\s*\(([^)]*)\)\s*)?\(", RegexOptions.Compiled);
        foreach (Match m in pattern.Matches(expr))
        {
            if (m.Groups[2].Success)
            {
                result.Add((m.Groups[1].Value, m.Groups[2].Value, LabelList(m.Groups[3].Value)));
                continue;
            }
            // The clause may follow the argument list: sum(rate(x[5m])) by (le).
            var open = m.Index + m.Length - 1;
            var close = Skip(expr, open, '(', ')');
            var after = new Regex(@"^\s*(by|without)\s*\(([^)]*)\)").Match(expr[close..]);
            result.Add(after.Success
                ? (m.Groups[1].Value, after.Groups[1].Value, LabelList(after.Groups[2].Value))
                : (m.Groups[1].Value, "none", []));
        }
        return result;
    }

    /// <summary>True when the expression divides one thing by another (a ratio), outside strings.</summary>
    public static bool HasDivision(string expr)
    {
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`') { i = SkipString(expr, i) - 1; continue; }
            if (c == '/') return true;
        }
        return false;
    }

    private static IReadOnlyList<string> LabelList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<LabelMatcher> Matchers(string text)
    {
        var list = new List<LabelMatcher>();
        foreach (Match m in MatcherRegex.Matches(text))
        {
            var raw = m.Groups[3].Value;
            var value = raw[1..^1];
            if (raw[0] != '`') value = Unescape(value);
            list.Add(new LabelMatcher(m.Groups[1].Value, m.Groups[2].Value, value));
        }
        return list;
    }

    private static string Unescape(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next switch { 'n' => '\n', 't' => '\t', _ => next });
                continue;
            }
            sb.Append(value[i]);
        }
        return sb.ToString();
    }

    private static bool IsDurationSuffix(string expr, int start) =>
        start > 0 && char.IsDigit(expr[start - 1]);

    private static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i;
    }

    private static int SkipString(string s, int i)
    {
        var quote = s[i];
        i++;
        while (i < s.Length && s[i] != quote)
        {
            if (s[i] == '\\' && quote != '`') i++;
            i++;
        }
        return Math.Min(s.Length, i + 1);
    }

    /// <summary>Index just after the bracket matching the one at <paramref name="i"/>.</summary>
    private static int Skip(string s, int i, char open, char close)
    {
        var depth = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] is '"' or '\'' or '`') { i = SkipString(s, i) - 1; continue; }
            if (s[i] == open) depth++;
            else if (s[i] == close && --depth == 0) return i + 1;
        }
        return s.Length;
    }
}
