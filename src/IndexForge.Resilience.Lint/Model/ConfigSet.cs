namespace IndexForge.Resilience.Lint.Model;

/// <summary>
/// Everything parsed under one configuration root (e.g. clusters/plan). Cross-file rules
/// (a NetworkPolicy against the Vault it must reach, alerts against the Vault telemetry) look
/// inside one set only, so linting clusters/ never mixes the plan with the hardened version.
/// </summary>
public sealed class ConfigSet(string root)
{
    public string Root { get; } = root;
    public List<KubeResource> Resources { get; } = [];
    public List<Fragment> Fragments { get; } = [];
    public List<RuleFile> RuleFiles { get; } = [];
    public List<ComposeFile> ComposeFiles { get; } = [];
    public List<HclFile> VaultConfigs { get; } = [];
    public List<GatewayFile> GatewayFiles { get; } = [];
    public List<DashboardFile> Dashboards { get; } = [];
    public List<PythonFile> PythonFiles { get; } = [];
    public List<PromtoolTestFile> PromtoolTests { get; } = [];
    public List<string> Files { get; } = [];
    public List<LoadIssue> Issues { get; } = [];

    public IEnumerable<KubeResource> OfKind(string kind) => Resources.Where(r => r.Kind == kind);

    /// <summary>Every PromQL expression in rule files and dashboards.</summary>
    public IEnumerable<PromQlSource> PromQl()
    {
        foreach (var file in RuleFiles)
        foreach (var rule in file.Rules())
            yield return new PromQlSource(file.File, rule.ExprLine, rule.Expr, rule.Alert ?? rule.Record ?? "(rule)", rule.Alert is not null);
        foreach (var dashboard in Dashboards)
        foreach (var (expr, line, title) in Parsing.DashboardReader.Expressions(dashboard))
            yield return new PromQlSource(dashboard.File, line, expr, title, false);
    }

    /// <summary>True when the set configures an Istio mesh for the workload namespace.</summary>
    public bool HasMesh => Resources.Any(r => r.Group.EndsWith("istio.io", StringComparison.Ordinal));
}
