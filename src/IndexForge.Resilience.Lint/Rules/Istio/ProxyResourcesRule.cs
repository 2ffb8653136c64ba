using System.Globalization;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO011: gateway or sidecar resource requests far beyond what Envoy needs reserve capacity on every node.</summary>
public sealed class ProxyResourcesRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO011", Severity.Warning, "Istio",
        "oversized proxy or gateway resource requests", References.IstioPerformance);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var op in set.OfKind("IstioOperator"))
        foreach (var kind in new[] { "ingressGateways", "egressGateways" })
        foreach (var gw in op.Root.Seq("spec", "components", kind).Items())
            if (gw.Get("k8s", "resources") is { } res)
                foreach (var f in Judge(op.File, res, $"{kind} {gw.Str("name") ?? "(unnamed)"} (one per gateway replica)")) yield return f;

        foreach (var fragment in set.Fragments.Where(f => f.Kind == FragmentKind.Resources && IsUnderIstio(f.File)))
            foreach (var f in Judge(fragment.File, fragment.Root.Get("resources") ?? fragment.Root, "sidecar proxy resources (one per meshed pod)")) yield return f;
    }

    private IEnumerable<LintFinding> Judge(string file, YamlNode resources, string what)
    {
        var memory = Quantity.Bytes(resources.Str("requests", "memory"));
        var cpu = Quantity.Cores(resources.Str("requests", "cpu"));
        var tooMuchMemory = memory > LintConstants.ProxyMemoryRequestWarnBytes;
        var tooMuchCpu = cpu > LintConstants.ProxyCpuRequestWarnCores;
        if (!tooMuchMemory && !tooMuchCpu) yield break;
        yield return Finding(file, resources.LineOf(resources.Line(), "requests"),
            $"{what}: requests cpu {resources.Str("requests", "cpu") ?? "-"}, memory {resources.Str("requests", "memory") ?? "-"}",
            "Istio measures the Envoy proxy at about 0.20 vCPU and 60 MB per 1000 requests per second; Istio's own defaults request " +
            "100m CPU and 128Mi. A request is reserved whether used or not, so oversizing leaves pods Pending on small nodes and, " +
            "for sidecars, multiplies the mesh overhead it was meant to reduce.",
            "Size requests from measured usage (kubectl top / container_memory_working_set_bytes) and keep the headroom in limits; " +
            "scale gateways out with an HPA rather than up.");
    }

    private static bool IsUnderIstio(string file) =>
        file.Replace('\\', '/').Split('/').Contains("istio");
}

/// <summary>Kubernetes resource quantities.</summary>
public static class Quantity
{
    public static double? Cores(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.EndsWith('m')) return Parse(text[..^1]) / 1000;
        return Parse(text);
    }

    public static long? Bytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        (string Suffix, double Factor)[] units =
        [
            ("Ki", 1024), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
            ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ];
        foreach (var (suffix, factor) in units)
            if (text.EndsWith(suffix, StringComparison.Ordinal)) return Parse(text[..^suffix.Length]) is { } v ? (long)(v * factor) : null;
        return Parse(text) is { } plain ? (long)plain : null;
    }

    private static double? Parse(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
