using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Core.Targets;

/// <summary>
/// The contract every environment implements (embedded, k3s, kubeconfig): bring up, the address
/// load goes to, inject and revert faults, read metrics, tear down. One scenario file runs
/// unchanged on every target.
/// </summary>
public interface ITarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Brings the environment up for <paramref name="request"/> and waits until it is ready.</summary>
    Task<TargetEnvironment> UpAsync(TargetRequest request, CancellationToken cancellationToken);

    /// <summary>Fault types this target can inject; a scenario naming another one is refused before start.</summary>
    IReadOnlyCollection<string> SupportedFaults { get; }

    IFaultInjector GetInjector(string faultType);

    /// <summary>Mesh, Vault and service metrics under Istio's, Envoy's and Vault's names.</summary>
    IMetricsSource Metrics { get; }

    /// <summary>Events the target observed (ejections, failovers, restarts) since <paramref name="since"/>.</summary>
    IReadOnlyList<TargetEvent> EventsSince(DateTimeOffset since);

    /// <summary>Tears everything down; must leave no process, port or namespace behind. Safe to call twice.</summary>
    Task DownAsync(CancellationToken cancellationToken);
}

public sealed record TargetRequest
{
    public required Scenario Scenario { get; init; }
    /// <summary>Absolute path of the mesh configuration directory (Istio YAML).</summary>
    public required string MeshConfigDirectory { get; init; }
    public required string RunId { get; init; }
    public required int Seed { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Directory the target may write to (certificates, Vault file storage).</summary>
    public required string WorkDirectory { get; init; }
}

public sealed record TargetEnvironment
{
    /// <summary>Where load enters the mesh (the caller's sidecar / ingress).</summary>
    public required Uri EntryPoint { get; init; }
    public required IReadOnlyList<ReplicaEndpoint> Replicas { get; init; }
    /// <summary>Everything else a person would curl: secrets server, metrics, control endpoints.</summary>
    public IReadOnlyList<NamedEndpoint> Endpoints { get; init; } = [];
    /// <summary>TLS material a workload of the mesh uses (direct-to-replica baselines, probes).</summary>
    public ClientTls? WorkloadTls { get; init; }
    /// <summary>
    /// The calling workload's current credential (sent as <c>x-indexforge-api-key</c>) when the
    /// scenario uses secrets; read once per request, so it must be cheap. Never logged.
    /// </summary>
    public Func<string?>? CallerCredential { get; init; }
    /// <summary>Configuration the target cannot emulate, and other things the report must show.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>
    /// The Prometheus evaluating the mesh's alert rules, when the target runs one; polled every second
    /// during load (see <see cref="Alerts.IAlertSource"/>). Null: alert assertions are skipped.
    /// </summary>
    public Alerts.IAlertSource? Alerts { get; init; }
}

public sealed record ReplicaEndpoint(string Id, string Region, string Zone, Uri Address);

public sealed record NamedEndpoint(string Name, Uri Address, string Description);

/// <summary>Client certificate and the root that server certificates chain to.</summary>
public sealed record ClientTls(X509Certificate2 ClientCertificate, X509Certificate2 TrustedRoot);

public sealed record TargetEvent(DateTimeOffset At, string Kind, string Subject, string Detail);

/// <summary>Kinds of <see cref="TargetEvent"/>, shared by targets and assertions.</summary>
public static class TargetEventKinds
{
    public const string Ejected = "ejected";
    public const string Unejected = "unejected";
    public const string EjectionOverflow = "ejection-overflow";
    public const string Failover = "failover";
    public const string ReplicaStopped = "replica-stopped";
    public const string ReplicaStarted = "replica-started";
    public const string SecretRotated = "secret-rotated";
    public const string CertificateRotated = "certificate-rotated";
    public const string FaultInjected = "fault-injected";
    public const string FaultReverted = "fault-reverted";
}

public static class TargetNames
{
    public const string Embedded = "embedded";
    public const string K3s = "k3s";
    public const string Kubeconfig = "kubeconfig";
    public static readonly IReadOnlyList<string> All = [Embedded, K3s, Kubeconfig];
}

/// <summary>Creates targets by name; each target project registers one.</summary>
public interface ITargetFactory
{
    string Name { get; }
    ITarget Create(TargetOptions options);
}

/// <summary>Command-line options that reach a target.</summary>
public sealed record TargetOptions
{
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string? RepositoryRoot { get; init; }
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
