using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Model;

/// <summary>A Kubernetes or Istio object (one YAML document with apiVersion and kind).</summary>
public sealed record KubeResource(string File, int DocumentIndex, YamlMappingNode Root)
{
    public string ApiVersion => Root.Str("apiVersion") ?? "";
    public string Kind => Root.Str("kind") ?? "";
    public string? Name => Root.Str("metadata", "name");
    /// <summary>metadata.namespace as written; null when absent (kubectl then uses the context's namespace).</summary>
    public string? Namespace => Root.Str("metadata", "namespace");
    public YamlNode? Spec => Root.Get("spec");
    public int Line => Root.Line();
    public int LineOf(params string[] path) => Root.LineOf(Line, path);
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public string Display => $"{Kind} {Name ?? "(unnamed)"}";
}

public enum FragmentKind { TrafficPolicy, SecurityContext, Resources, Unknown }

/// <summary>A YAML document that is only a piece of a resource, as the plan shows it.</summary>
public sealed record Fragment(string File, int DocumentIndex, YamlMappingNode Root, FragmentKind Kind)
{
    public int Line => Root.Line();
}

/// <summary>A Prometheus rule file (groups of alerting/recording rules).</summary>
public sealed record RuleFile(string File, YamlMappingNode Root)
{
    public IEnumerable<AlertRule> Rules()
    {
        foreach (var group in Root.Seq("groups").Items())
        foreach (var rule in group.Seq("rules").Items())
        {
            if (rule is not YamlMappingNode map) continue;
            yield return new AlertRule(File, group.Str("name") ?? "", map);
        }
    }
}

public sealed record AlertRule(string File, string Group, YamlMappingNode Node)
{
    public string? Alert => Node.Str("alert");
    public string? Record => Node.Str("record");
    public string Expr => Node.Str("expr") ?? "";
    public string? For => Node.Str("for");
    public int Line => Node.Line();
    public int ExprLine => Node.LineOf(Line, "expr");
    public IReadOnlyDictionary<string, string> Labels => Node.Get("labels").Labels();
    public IReadOnlyDictionary<string, string> Annotations => Node.Get("annotations").Labels();
}

/// <summary>A PromQL expression found anywhere (rule or dashboard) with where it came from.</summary>
public sealed record PromQlSource(string File, int Line, string Expr, string Owner, bool IsAlert);

public sealed record ComposeFile(string File, YamlMappingNode Root)
{
    public IEnumerable<ComposeService> Services() =>
        Root.Get("services").Entries().Select(e => new ComposeService(File, e.Key, e.Value, e.Line));
}

public sealed record ComposeService(string File, string Name, YamlNode Node, int Line)
{
    public string? Image => Node.Str("image");
    public int LineOf(params string[] path) => Node.LineOf(Line, path);

    /// <summary>environment as a map; list entries "K=V" are split.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var env = Node.Get("environment");
        if (env is YamlMappingNode) return env.Labels();
        var result = new Dictionary<string, string>();
        foreach (var item in env.Strings())
        {
            var eq = item.IndexOf('=');
            if (eq > 0) result[item[..eq]] = item[(eq + 1)..];
            else result[item] = "";
        }
        return result;
    }

    /// <summary>The command as arguments (string form split on whitespace).</summary>
    public IReadOnlyList<string> Command() => Node.Get("command") switch
    {
        YamlScalarNode { Value: { } s } => s.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        var n => n.Strings(),
    };
}

public sealed record HclFile(string File, HclBody Body);

/// <summary>Kong settings (kong.conf properties and declarative entries), as the plan writes them in YAML.</summary>
public sealed record GatewayFile(string File, YamlMappingNode Root);

public sealed record DashboardFile(string File, YamlMappingNode Root);

public sealed record PythonFile(string File, IReadOnlyList<string> Lines);

/// <summary>A promtool unit-test file (rule_files + tests).</summary>
public sealed record PromtoolTestFile(string File, YamlMappingNode Root);
