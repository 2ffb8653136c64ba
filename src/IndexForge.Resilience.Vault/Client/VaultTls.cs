using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>Server certificate validation against one given root (CustomRootTrust), name checks included.</summary>
public static class VaultTls
{
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 root) => (_, certificate, chain, errors) =>
    {
        if (certificate is null) return false;
        // The name must still match; only the trust anchor is replaced.
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    };
}
