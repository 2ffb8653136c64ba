using System.Globalization;
using System.Text.RegularExpressions;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>The run namespace: named after the run id, labelled so the guard, the reaper and people can tell whose it is and until when.</summary>
public static partial class RunNamespaces
{
    public const string Prefix = "indexforge-run-";

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex Invalid();

    public static string NameFor(string runId)
    {
        var clean = Invalid().Replace(runId.ToLowerInvariant(), "-").Trim('-');
        var name = Prefix + clean;
        return (name.Length <= 53 ? name : name[..53]).TrimEnd('-'); // room for the probe namespace's suffix
    }

    public static string LabelValue(string runId)
    {
        var clean = Invalid().Replace(runId.ToLowerInvariant(), "-").Trim('-');
        return clean.Length <= 63 ? clean : clean[..63].TrimEnd('-');
    }

    public static V1Namespace Build(string name, string runId, DateTimeOffset expiresAt) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue,
                [KubeLabels.RunId] = LabelValue(runId),
                [KubeLabels.ExpiresAt] = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                [KubeLabels.IstioInjection] = "enabled",
            },
            Annotations = new Dictionary<string, string>
            {
                [KubeLabels.ExpiresAtAnnotation] = expiresAt.ToString("O", CultureInfo.InvariantCulture),
            },
        },
    };
}
