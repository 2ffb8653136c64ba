using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Cli;

/// <summary>Target factories by name; a name appears once.</summary>
internal static class Targets
{
    private static readonly Dictionary<string, Func<ITargetFactory>> Factories = new(StringComparer.Ordinal)
    {
        [TargetNames.Embedded] = () => new Embedded.EmbeddedTargetFactory(),
        [TargetNames.K3s] = () => new Kubernetes.Targets.K3sTargetFactory(Console.Error.WriteLine),
        [TargetNames.Kubeconfig] = () => new Kubernetes.Targets.KubeconfigTargetFactory(Console.Error.WriteLine),
    };

    public static ITargetFactory Get(string name) =>
        Factories.TryGetValue(name, out var create) ? create()
            : throw new ArgumentException($"target '{name}' is not available in this build (known: {string.Join(", ", Factories.Keys)})");
}
