namespace IndexForge.Resilience.Kubernetes.Faults.UnauthorizedSourceProbe;

/// <summary>What a curl probe's exit code and written %{http_code} mean for a security check.</summary>
public sealed record ProbeOutcome(bool Refused, string Reason, string Status)
{
    public static ProbeOutcome From(int curlExitCode, string output)
    {
        var status = output.Length >= 3 && int.TryParse(output[^3..], out var code) ? code : 0;
        var text = status == 0 ? "none" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return curlExitCode switch
        {
            0 when status is >= 200 and < 400 => new(false, "accepted", text),
            0 when status == 403 => new(true, "http-403", text),
            0 when status is 401 => new(true, "http-401", text),
            0 => new(true, $"http-{text}", text),
            7 => new(true, "connection-refused", text),
            28 => new(true, "timeout", text),
            35 => new(true, "tls-handshake", text),
            52 or 56 => new(true, "connection-reset", text),
            _ => new(true, $"curl-exit-{curlExitCode}", text),
        };
    }
}

/// <summary>Maps the scenario's SPIFFE id to the namespace and service account the probe runs as.</summary>
public static class ProbeIdentity
{
    public static (string Namespace, string ServiceAccount) Parse(string spiffe)
    {
        // spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>
        var parts = spiffe.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ns = Array.IndexOf(parts, "ns");
        var sa = Array.IndexOf(parts, "sa");
        if (!spiffe.StartsWith("spiffe://", StringComparison.Ordinal) || ns < 0 || sa < 0 || ns + 1 >= parts.Length || sa + 1 >= parts.Length)
            throw new Core.Faults.FaultInjectionException($"'{spiffe}' is not a SPIFFE id like spiffe://cluster.local/ns/intruder/sa/default");
        return (parts[ns + 1], parts[sa + 1]);
    }

    /// <summary>The run's own copy of the source namespace: run namespace + "-" + name, within the 63-character limit.</summary>
    public static string NamespaceFor(string runNamespace, string sourceNamespace)
    {
        var name = $"{runNamespace}-{sourceNamespace}";
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }
}

public static class ProbeConstants
{
    public const string CurlMaxTimeSeconds = "5";
}
