using System.Globalization;

namespace IndexForge.Resilience.Kubernetes.Faults.Probes;

/// <summary>
/// The verdict of a probe pod from its exit code and output, with the embedded target's keys and
/// reasons (docs/targets.md "Security probes"): <c>refused</c> true/false/unknown, <c>reason</c>,
/// <c>evidence</c> (the telling line). Nothing reaching the replica — connection refused, a timeout
/// (a NetworkPolicy drop looks like that), a client that could not offer what it was asked to — is
/// <c>unknown</c>, never a refusal.
/// </summary>
public sealed record TlsProbeOutcome(string Refused, string Reason, string Evidence)
{
    public const string True = "true";
    public const string False = "false";
    public const string Unknown = "unknown";
    /// <summary>coreutils <c>timeout</c> exits 124 when it killed the command; busybox's reports the SIGTERM (128 + 15).</summary>
    public static readonly IReadOnlySet<int> TimeoutExits = new HashSet<int> { 124, 143 };

    private static readonly (string[] Needles, string Reason)[] Alerts =
    [
        (["protocol version", "protocol_version", "unsupported protocol", "wrong version number"], "protocol-version"),
        (["certificate expired", "certificate_expired"], "certificate-expired"),
        (["unknown ca", "unknown_ca", "bad certificate", "bad_certificate", "certificate unknown", "certificate_unknown", "unsupported certificate", "decrypt error", "decrypt_error"], "untrusted-certificate"),
        (["certificate required", "certificate_required", "peer did not return a certificate"], "no-client-certificate"),
        (["handshake failure", "handshake_failure", "no shared cipher", "insufficient security", "insufficient_security"], "handshake-failed"),
    ];

    private static readonly string[] ClientCouldNotOffer = ["no protocols available", "no cipher match", "no ciphers available"];
    private static readonly string[] NothingReached = ["connection refused", "no route to host", "connect:errno", "network is unreachable", "name or service not known"];

    /// <summary>
    /// openssl s_client run with <c>-msg</c>: a status line means a request was served (403 = RBAC);
    /// a fatal alert names the refusal; for the version and cipher probes a ServerHello means the server
    /// agreed to what was offered (<paramref name="serverHelloMeansAccepted"/>), whatever failed after it.
    /// </summary>
    public static TlsProbeOutcome FromOpenssl(int exitCode, string output, bool serverHelloMeansAccepted, Func<string, string>? reasonOf = null)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var code = exitCode.ToString(CultureInfo.InvariantCulture);
        var status = lines.FirstOrDefault(l => l.StartsWith("HTTP/1.", StringComparison.Ordinal) && l.Length >= 12);
        if (status is not null && int.TryParse(status.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var http))
            return http == 403 ? new(True, "http-403", $"openssl: {status}") : new(False, "accepted", $"openssl: {status}");
        string Line(Func<string, bool> match) => lines.FirstOrDefault(match) ?? lines.LastOrDefault() ?? "no output";
        bool Has(string l, string[] needles) => needles.Any(n => l.Contains(n, StringComparison.OrdinalIgnoreCase));
        if (lines.FirstOrDefault(l => Has(l, ClientCouldNotOffer)) is { } offer)
            return new(Unknown, "client-could-not-offer", $"openssl exit {code}: {Short(offer)}");
        var serverHello = lines.FirstOrDefault(l => l.StartsWith("<<<", StringComparison.Ordinal) && l.Contains("ServerHello", StringComparison.Ordinal));
        if (serverHelloMeansAccepted && serverHello is not null)
            return new(False, "accepted", $"openssl exit {code}: the server answered {Short(serverHello)}");
        foreach (var (needles, reason) in Alerts)
        {
            if (lines.FirstOrDefault(l => Has(l, needles)) is { } alert)
                return new(True, (reasonOf ?? (r => r))(reason), $"openssl exit {code}: {Short(alert)}");
        }
        if (TimeoutExits.Contains(exitCode)) return new(Unknown, "timeout", $"openssl killed after the probe timeout: nothing answered (a NetworkPolicy drop looks like this); last line: {Short(Line(_ => false))}");
        if (lines.FirstOrDefault(l => Has(l, NothingReached)) is { } connect)
            return new(Unknown, "connect-failed", $"openssl exit {code}: {Short(connect)}");
        if (exitCode != 0) return new(True, "connection-reset", $"openssl exit {code}: {Short(Line(l => l.Contains("errno", StringComparison.Ordinal) || l.Contains(":error:", StringComparison.Ordinal) || l.Contains("eof", StringComparison.OrdinalIgnoreCase)))}");
        return new(Unknown, "no response and no alert", $"openssl exit 0: {Short(Line(_ => false))}");
    }

    /// <summary>curl's <c>-w %{http_code}</c> for the plaintext probe: a reset before any HTTP is STRICT refusing plaintext.</summary>
    public static TlsProbeOutcome FromCurl(int exitCode, string output)
    {
        var status = output.Length >= 3 && int.TryParse(output.AsSpan(output.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var evidence = $"curl exit {exitCode.ToString(CultureInfo.InvariantCulture)}, HTTP {(status == 0 ? "none" : status.ToString(CultureInfo.InvariantCulture))}";
        return exitCode switch
        {
            0 when status == 403 => new(True, "http-403", evidence),
            0 when status > 0 => new(False, "accepted", evidence),
            52 or 56 => new(True, "plaintext-rejected", evidence + " (connection closed before any HTTP answer)"),
            7 => new(Unknown, "connect-failed", evidence + " (nothing listened)"),
            28 => new(Unknown, "timeout", evidence + " (nothing answered; a NetworkPolicy drop looks like this)"),
            _ => new(True, "connection-reset", evidence),
        };
    }

    public void WriteTo(IDictionary<string, string> details)
    {
        details["refused"] = Refused;
        details["reason"] = Reason;
        details["evidence"] = Evidence;
    }

    private static string Short(string line) => line.Length <= TlsProbeConstants.MaxEvidenceLength ? line : line[..TlsProbeConstants.MaxEvidenceLength] + "…";
}
