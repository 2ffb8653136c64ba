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
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
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
