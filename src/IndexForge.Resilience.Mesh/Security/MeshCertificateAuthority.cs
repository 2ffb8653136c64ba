using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Mesh.Security;

/// <summary>
/// The mesh CA of one run, in memory (ECDSA P-256): a self-signed root and workload certificates
/// whose only identity is a SPIFFE URI SAN (spiffe://cluster.local/ns/&lt;ns&gt;/sa/&lt;sa&gt;), as
/// istiod issues them. Private keys never leave the process unless <see cref="WriteWorkload"/> is asked to.
/// </summary>
public sealed class MeshCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;
    private readonly X509Certificate2 _signer;
    private readonly TimeProvider _time;

    private MeshCertificateAuthority(string trustDomain, string commonName, TimeProvider time, TimeSpan validity)
    {
        TrustDomain = trustDomain;
        _time = time;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O={trustDomain}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        _signer = request.CreateSelfSigned(now.AddHours(-1), now + validity);
        Root = X509CertificateLoader.LoadCertificate(_signer.RawData); // public part only
    }

    /// <summary>A new CA for one run. A second CA with another name is a "foreign" CA the mesh must refuse.</summary>
    public static MeshCertificateAuthority Create(string trustDomain = MeshConstants.TrustDomain, string commonName = "IndexForge mesh CA",
        TimeProvider? time = null, TimeSpan? validity = null) =>
        new(trustDomain, commonName, time ?? TimeProvider.System, validity ?? SecurityConstants.RootValidity);

    public string TrustDomain { get; }

    /// <summary>The root certificate without its private key: what peers trust.</summary>
    public X509Certificate2 Root { get; }

    public string SpiffeId(string @namespace, string serviceAccount) => $"spiffe://{TrustDomain}/ns/{@namespace}/sa/{serviceAccount}";

    /// <summary>A workload certificate with its private key, valid from one hour ago for <paramref name="validity"/> (default 24 h, as Istio).</summary>
    public X509Certificate2 IssueWorkload(string @namespace, string serviceAccount, TimeSpan? validity = null) =>
        Issue(SpiffeId(@namespace, serviceAccount), _time.GetUtcNow().AddHours(-1), _time.GetUtcNow() + (validity ?? SecurityConstants.WorkloadValidity));

    /// <summary>A certificate for any SPIFFE ID and validity window (expired-certificate and unauthorized-source probes use it).</summary>
    public X509Certificate2 Issue(string spiffeId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client auth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_signer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var notAfterCapped = notAfter > _signer.NotAfter ? new DateTimeOffset(_signer.NotAfter) : notAfter;
        using var cert = request.Create(_signer.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfterCapped, serial);
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the root certificate (public) to <paramref name="directory"/>/root-cert.pem and returns the path.</summary>
    public string WriteRoot(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "root-cert.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// Writes a workload's cert-chain.pem and, only when <paramref name="includePrivateKey"/>, key.pem
    /// (mode 0600) — for external tools such as openssl s_client. Never log their content.
    /// </summary>
    public static (string CertPath, string? KeyPath) WriteWorkload(string directory, string name, X509Certificate2 certificate, bool includePrivateKey)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, $"{name}-cert.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        if (!includePrivateKey) return (certPath, null);
        var keyPath = Path.Combine(directory, $"{name}-key.pem");
        var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(keyPath, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }
        return (certPath, keyPath);
    }

    public void Dispose()
    {
        _signer.Dispose();
        _key.Dispose();
    }
}

public static class SecurityConstants
{
    public static readonly TimeSpan RootValidity = TimeSpan.FromDays(365);
    /// <summary>Istio's default workload certificate TTL.</summary>
    public static readonly TimeSpan WorkloadValidity = TimeSpan.FromHours(24);
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Envoy's RBAC filter body for a denied request.</summary>
    public const string RbacDeniedBody = "RBAC: access denied";
}
