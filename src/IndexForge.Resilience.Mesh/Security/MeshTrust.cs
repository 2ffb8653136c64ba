using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Mesh.Security;

/// <summary>Why a peer certificate is refused; <see cref="None"/> when it is accepted.</summary>
public enum TlsRefusal { None, Plaintext, NoCertificate, UntrustedCa, Expired, NoSpiffeId, ProtocolVersion, HandshakeFailed }

/// <summary>Verifies peer certificates the way an Istio sidecar does: chained to the mesh root (and only it), time-valid, carrying a SPIFFE ID in the trust domain.</summary>
public static class MeshTrust
{
    public static TlsRefusal Verify(X509Certificate2? certificate, X509Certificate2 root, string trustDomain, DateTimeOffset now, out string? spiffeId)
    {
        spiffeId = null;
        if (certificate is null) return TlsRefusal.NoCertificate;
        using var chain = new X509Chain { ChainPolicy = Policy(root, now) };
        return Verify(certificate, chain, chain.Build(certificate), root, trustDomain, out spiffeId);
    }

    /// <summary>
    /// The chain policy of a mesh handshake: the mesh root only, no revocation, no downloads, at
    /// <paramref name="now"/>. Given to SslStream (CertificateChainPolicy), its one chain build is the
    /// mesh's check, instead of a build against the system store followed by a second one here.
    /// </summary>
    public static X509ChainPolicy Policy(X509Certificate2 root, DateTimeOffset now)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }

    /// <summary>
    /// Verifies a peer certificate from the chain SslStream built with <see cref="Policy"/> (the
    /// validation callback's chain): what <see cref="Verify(X509Certificate2?, X509Certificate2, string, DateTimeOffset, out string?)"/> decides, without building it again.
    /// </summary>
    public static TlsRefusal Verify(X509Certificate2? certificate, X509Chain? chain, System.Net.Security.SslPolicyErrors errors, X509Certificate2 root, string trustDomain, out string? spiffeId)
    {
        spiffeId = null;
        if (certificate is null || chain is null) return TlsRefusal.NoCertificate;
        // The SNI (outbound_.port_._.host) never matches a workload certificate: Istio checks the SPIFFE ID instead.
        var chainValid = (errors & (System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors | System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable)) == 0;
        return Verify(certificate, chain, chainValid && chain.ChainElements.Count > 0, root, trustDomain, out spiffeId);
    }

    private static TlsRefusal Verify(X509Certificate2 certificate, X509Chain chain, bool built, X509Certificate2 root, string trustDomain, out string? spiffeId)
    {
        spiffeId = null;
        if (!built)
        {
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
            return (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid)) != 0
                ? TlsRefusal.UntrustedCa
                : (flags & X509ChainStatusFlags.NotTimeValid) != 0 ? TlsRefusal.Expired : TlsRefusal.UntrustedCa;
        }
        if (!chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)) return TlsRefusal.UntrustedCa;
        spiffeId = SpiffeIds(certificate).FirstOrDefault(id => id.StartsWith($"spiffe://{trustDomain}/", StringComparison.Ordinal));
        return spiffeId is null ? TlsRefusal.NoSpiffeId : TlsRefusal.None;
    }

    /// <summary>The URI SANs of a certificate that are SPIFFE IDs.</summary>
    public static IReadOnlyList<string> SpiffeIds(X509Certificate2 certificate)
    {
        var ids = new List<string>();
        foreach (var ext in certificate.Extensions)
        {
            if (ext.Oid?.Value != "2.5.29.17") continue;
            try
            {
                var reader = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
                while (reader.HasData)
                {
                    var tag = reader.PeekTag();
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6)
                    {
                        var uri = reader.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                        if (uri.StartsWith("spiffe://", StringComparison.Ordinal)) ids.Add(uri);
                    }
                    else reader.ReadEncodedValue();
                }
            }
            catch (AsnContentException)
            {
                // A malformed SAN carries no usable identity.
            }
        }
        return ids;
    }

    /// <summary>Istio's principal for a SPIFFE ID: "cluster.local/ns/x/sa/y".</summary>
    public static string Principal(string spiffeId) => spiffeId.StartsWith("spiffe://", StringComparison.Ordinal) ? spiffeId["spiffe://".Length..] : spiffeId;

    /// <summary>The namespace of a SPIFFE ID, or "" when it has none.</summary>
    public static string NamespaceOf(string spiffeId)
    {
        var parts = Principal(spiffeId).Split('/');
        var i = Array.IndexOf(parts, "ns");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : "";
    }
}
