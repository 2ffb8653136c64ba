using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>
/// ISTIO006: an exact-host DestinationRule wins over a wildcard one for that host, and Istio does not
/// merge the wildcard's policy into it: everything only the wildcard set is lost for that service.
/// </summary>
public sealed class WildcardShadowedRule : LintRule
{
    private static readonly string[] Fields = ["loadBalancer", "connectionPool", "outlierDetection", "tls"];

    public override RuleInfo Info { get; } = new("ISTIO006", Severity.Warning, "Istio",
        "exact-host DestinationRule shadows a wildcard one", References.IstioTrafficBestPractices);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var rules = IstioModel.DestinationRules(set).Where(dr => IstioModel.Host(dr) is not null).ToList();
        foreach (var wildcard in rules.Where(dr => IstioModel.IsWildcard(IstioModel.Host(dr)!)))
        foreach (var exact in rules.Where(dr => !IstioModel.IsWildcard(IstioModel.Host(dr)!)))
        {
            if ((wildcard.Namespace ?? "") != (exact.Namespace ?? "")) continue;
            var host = IstioModel.Qualify(IstioModel.Host(exact)!, exact.Namespace);
            if (!IstioModel.HostMatches(IstioModel.Host(wildcard)!, host)) continue;
            var lost = Fields.Where(f => wildcard.Root.Has("spec", "trafficPolicy", f) && !exact.Root.Has("spec", "trafficPolicy", f)).ToList();
            var lostText = lost.Count > 0 ? $"; for {host} it loses {string.Join(", ", lost)}" : "";
            yield return Finding(exact.File, exact.LineOf("spec", "host"),
                $"{exact.Display} (host {host}) takes precedence over {wildcard.Display} (host {IstioModel.Host(wildcard)}){lostText}",
                "Istio picks the most specific host match and applies that single DestinationRule; the wildcard rule's " +
                "trafficPolicy is not inherited, so the service runs without the settings it was assumed to have.",
                "Put the complete trafficPolicy (load balancer, connection pool, outlier detection, locality) into the exact-host rule, " +
                "or keep only one rule for the host.");
        }
    }
}
