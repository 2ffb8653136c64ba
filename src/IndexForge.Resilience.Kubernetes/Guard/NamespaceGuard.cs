using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Guard;

/// <summary>
/// Every destructive call of an injector goes through <see cref="EnsureOwned"/>: on a shared cluster
/// the harness may only delete, scale, patch or seal inside the namespaces its run created.
/// </summary>
public sealed class NamespaceGuard
{
    private readonly HashSet<string> _owned;

    public NamespaceGuard(string runNamespace, params string[] alsoOwned)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runNamespace);
        RunNamespace = runNamespace;
        _owned = new HashSet<string>([runNamespace, .. alsoOwned], StringComparer.Ordinal);
    }

    /// <summary>The namespace the run works in.</summary>
    public string RunNamespace { get; }

    public IReadOnlyCollection<string> Owned => _owned;

    public bool Owns(string ns) => _owned.Contains(ns);

    /// <summary>Throws <see cref="NamespaceGuardException"/> before <paramref name="action"/> touches a namespace the run does not own.</summary>
    public void EnsureOwned(string ns, string action)
    {
        if (!_owned.Contains(ns))
            throw new NamespaceGuardException(
                $"refused: {action} in namespace '{ns}', outside the run's namespaces ({string.Join(", ", _owned)}); " +
                "the harness only changes what its run created");
    }

    /// <summary>Adds a namespace the run itself created (e.g. the probe namespace), labelled like the run namespace.</summary>
    public void Adopt(string ns) => _owned.Add(ns);
}

public sealed class NamespaceGuardException(string message) : KubernetesTargetException(message);
