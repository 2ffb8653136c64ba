using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>A CA and a server certificate for the run's Vault (its TLS listener), made per run, never written outside the cluster.</summary>
public sealed class VaultTlsMaterial
{
    public required X509Certificate2 Ca { get; init; }
    public required string CaPem { get; init; }
    public required string CertPem { get; init; }
    public required string KeyPem { get; init; }

    public static VaultTlsMaterial Create(string ns, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=indexforge-run-vault-ca", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN=vault.{ns}.svc", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { "vault", $"vault.{ns}", $"vault.{ns}.svc", $"vault.{ns}.svc.cluster.local", $"vault-0.vault.{ns}.svc", "localhost" }) san.AddDnsName(dns);
        san.AddIpAddress(IPAddress.Loopback); // the harness reaches Vault through a port-forward on 127.0.0.1
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = req.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return new VaultTlsMaterial
        {
            Ca = X509CertificateLoader.LoadCertificate(ca.RawData),
            CaPem = ca.ExportCertificatePem(),
            CertPem = cert.ExportCertificatePem(),
            KeyPem = key.ExportPkcs8PrivateKeyPem(),
        };
    }
}
