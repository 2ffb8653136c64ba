using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Kubernetes.Faults.Probes;

/// <summary>
/// Client certificates for the certificate probes: a workload certificate for the mesh caller's SPIFFE
/// id from a CA made for the probe. The harness does not hold istiod's signing key (a shared cluster's
/// root must not leave it), so on Kubernetes even the expired certificate comes from a foreign CA.
/// </summary>
public static class ProbeCertificates
{
    public static ProbeCertificate Issue(string ns, string caName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest($"O={caName}", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(notBefore.AddDays(-1), notAfter.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("O=IndexForge probe", key, HashAlgorithmName.SHA256);
        var spiffe = string.Format(CultureInfo.InvariantCulture, TlsProbeConstants.CallerSpiffeFormat, ns);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffe));
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = req.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return new ProbeCertificate(
            cert.ExportCertificatePem() + "\n" + ca.ExportCertificatePem(),
            key.ExportPkcs8PrivateKeyPem(),
            $"{spiffe} issued by '{ca.Subject}', valid {cert.NotBefore.ToUniversalTime():u} to {cert.NotAfter.ToUniversalTime():u}");
    }
}
