using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.CertRotation;

namespace IndexForge.Resilience.Embedded.Faults.CertRotation;

/// <summary>
/// Re-issues workload certificates from the run's mesh CA, as istiod does on rotation: every replica's
/// and the caller's, or only <c>Replica</c>'s. New handshakes use the new certificates; connections in
/// flight finish on the old ones. The data plane emits one certificate-rotated event per workload.
/// </summary>
internal sealed class CertRotationInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public const string Caller = "caller";

    public string Type => FaultTypes.CertRotation;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (CertRotationOptions)options;
        if (o.Replica is { } r && !runtime.Inbounds.ContainsKey(r)) throw new FaultInjectionException($"cert-rotation: replica '{r}' does not exist");
        var workloads = runtime.Inbounds.Where(kv => o.Replica is null || kv.Key == o.Replica).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var before = workloads.ToDictionary(kv => kv.Key, kv => kv.Value.Certificate.SerialNumber, StringComparer.Ordinal);
        if (o.Replica is null) before[Caller] = Serial(runtime.Mesh.WorkloadTls.ClientCertificate);

        var started = context.Time.GetTimestamp();
        runtime.Mesh.RotateCertificates(o.Replica);
        var took = context.Time.GetElapsedTime(started);

        var after = workloads.ToDictionary(kv => kv.Key, kv => kv.Value.Certificate.SerialNumber, StringComparer.Ordinal);
        if (o.Replica is null) after[Caller] = Serial(runtime.Mesh.WorkloadTls.ClientCertificate);
        var rotated = after.Where(kv => before[kv.Key] != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var lagging = after.Keys.Except(rotated).Order(StringComparer.Ordinal).ToList();
        // Serial numbers are public (they are in every handshake); they show the certificates really changed.
        return Task.FromResult<IActiveFault>(new CompletedFault(new Dictionary<string, string>
        {
            ["workloads"] = string.Join(",", after.Keys.Order(StringComparer.Ordinal)),
            ["rotated"] = string.Join(",", rotated),
            ["serialsBefore"] = string.Join(",", before.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}")),
            ["serialsAfter"] = string.Join(",", after.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}")),
            ["mechanism"] = "re-issued by the run's mesh CA; new handshakes use the new certificate",
            // What zero-downtime checks: every workload presents a new certificate, and how long the swap took.
            ["verified"] = lagging.Count == 0 ? "true" : "false",
            ["lagging"] = string.Join(",", lagging),
            ["allReplicasAfter"] = took.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        }));
    }

    private static string Serial(X509Certificate2 certificate) => certificate.SerialNumber;
}
