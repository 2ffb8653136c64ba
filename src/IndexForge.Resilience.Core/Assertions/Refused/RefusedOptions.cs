using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.Refused;

/// <summary>`refused`: a security probe was rejected, and for the expected reason when <see cref="Reason"/> is set.</summary>
public sealed record RefusedOptions : AssertionOptions
{
    [Required, FaultReference] public string Probe { get; init; } = "";
    /// <summary>Expected refusal reason, e.g. tls-handshake, no-client-certificate, untrusted-certificate, protocol-version, http-403.</summary>
    public string? Reason { get; init; }
}
