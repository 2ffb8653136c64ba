using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Vault.Server.Tls;

/// <summary>A throwaway CA for the embedded server's TLS listener: a root and server certificates it signs.</summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate, public part only: what clients trust.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority Create(string commonName, TimeProvider time, TimeSpan lifetime)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key);
    }

    /// <summary>A server certificate (with its private key) for <paramref name="addresses"/> and <paramref name="dnsNames"/>.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<IPAddress> addresses, IEnumerable<string> dnsNames, TimeProvider time, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        var first = "vault";
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
            first = dns;
        }
        foreach (var address in addresses) names.AddIpAddress(address);
        var request = new CertificateRequest($"CN={first}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = time.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), now + lifetime, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a certificate whose key survives export/import; a PKCS#12 round trip gives that.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => _key.Dispose();
}
