using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using IndexForge.Resilience.Lint.Rules.Vault;

namespace IndexForge.Resilience.Lint.Rules.Tls;

/// <summary>TLS settings of one server as it will really serve them (after defaults).</summary>
public sealed record TlsSettings(string File, int Line, string Where, IReadOnlyList<string> Protocols, IReadOnlyList<string> Ciphers, int CiphersLine, bool Http2);

public sealed record CipherInfo(string Name, bool Tls13, bool Broken, bool Aead, bool ForwardSecret)
{
    public bool Cbc => !Aead && !Tls13 && !Broken;
    /// <summary>RFC 7540 Appendix A: every TLS 1.2 suite that is not ephemeral-key-exchange AEAD.</summary>
    public bool Http2Prohibited => !Tls13 && !(Aead && ForwardSecret);
}

public static class TlsModel
{
    public static readonly string[] WeakProtocols = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1"];
    private static readonly string[] Keywords = ["HIGH", "MEDIUM", "DEFAULT", "ALL", "COMPLEMENTOFDEFAULT", "kEECDH", "kEDH", "ECDH", "EECDH", "EDH", "AESGCM", "CHACHA20"];

    public static CipherInfo Classify(string name)
    {
        var u = name.ToUpperInvariant();
        var tls13 = u is "TLS_AES_128_GCM_SHA256" or "TLS_AES_256_GCM_SHA384" or "TLS_CHACHA20_POLY1305_SHA256" or "TLS_AES_128_CCM_SHA256" or "TLS_AES_128_CCM_8_SHA256";
        var broken = u.Contains("RC4") || u.Contains("DES") || u.Contains("NULL") || u.StartsWith("EXP") || u.Contains("EXPORT") ||
                     u.EndsWith("MD5") || u.Contains("ANON") || u.StartsWith("ADH") || u.StartsWith("AECDH") || u is "LOW";
        var aead = u.Contains("GCM") || u.Contains("CHACHA20") || u.Contains("POLY1305") || u.Contains("CCM");
        var fs = tls13 || u.StartsWith("ECDHE") || u.StartsWith("DHE") || u.StartsWith("EDH") || u.StartsWith("TLS_ECDHE_") || u.StartsWith("TLS_DHE_");
        return new CipherInfo(name, tls13, broken, aead, fs);
    }

    /// <summary>Concrete suites of an OpenSSL-style list (exclusions and group keywords dropped).</summary>
    public static IReadOnlyList<string> Suites(string? list) =>
        (list ?? "").Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s[0] is not ('!' or '-' or '+' or '@') && !Keywords.Contains(s, StringComparer.OrdinalIgnoreCase))
            .ToList();

    public static IEnumerable<TlsSettings> Servers(ConfigSet set)
    {
        foreach (var gw in set.GatewayFiles)
        {
            var root = gw.Root;
            var suite = root.Str("ssl_cipher_suite") ?? "intermediate";
            var http2 = root.Bool("http2") == true || (root.Str("proxy_listen") ?? "").Contains("http2", StringComparison.Ordinal);
            var line = root.LineOf(root.Line(), root.Has("ssl_cipher_suite") ? "ssl_cipher_suite" : "ssl_protocols");
            if (suite == "custom")
            {
                var protocols = (root.Str("ssl_protocols") ?? "TLSv1.1 TLSv1.2 TLSv1.3").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                yield return new TlsSettings(gw.File, root.LineOf(line, "ssl_protocols"), "Kong (ssl_cipher_suite custom)", protocols,
                    Suites(root.Str("ssl_ciphers")), root.LineOf(line, "ssl_ciphers"), http2);
            }
            else if (suite == "old")
            {
                // Mozilla "old": TLS 1.0–1.3 with CBC and 3DES suites for legacy clients.
                yield return new TlsSettings(gw.File, line, "Kong (ssl_cipher_suite old)", ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"],
                    ["ECDHE-RSA-AES128-SHA", "AES128-SHA", "DES-CBC3-SHA"], line, http2);
            }
        }

        foreach (var listener in VaultModel.Listeners(set).Where(l => !l.TlsDisabled))
        {
            var body = listener.Block.Body;
            var min = body.Str("tls_min_version") ?? "tls12";
            var protocols = new[] { "tls10", "tls11", "tls12", "tls13" }.SkipWhile(p => p != min)
                .Select(p => p switch { "tls10" => "TLSv1", "tls11" => "TLSv1.1", "tls12" => "TLSv1.2", _ => "TLSv1.3" }).ToList();
            var ciphersAttr = body.Attribute("tls_cipher_suites");
            yield return new TlsSettings(listener.File.File, body.Attribute("tls_min_version")?.Line ?? listener.Block.Line,
                $"Vault listener {listener.Address}", protocols, Suites(ciphersAttr?.Value.Text), ciphersAttr?.Line ?? listener.Block.Line, false);
        }

        foreach (var gateway in set.OfKind("Gateway").Where(g => g.Group == "networking.istio.io"))
        foreach (var server in gateway.Root.Seq("spec", "servers").Items())
        {
            if (server.Get("tls") is not { } tls || server.Str("tls", "mode") is "PASSTHROUGH" or "AUTO_PASSTHROUGH") continue;
            var min = tls.Str("minProtocolVersion") ?? "TLSV1_2";
            var protocols = new[] { "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3" }.SkipWhile(p => p != min)
                .Select(p => p switch { "TLSV1_0" => "TLSv1", "TLSV1_1" => "TLSv1.1", "TLSV1_2" => "TLSv1.2", _ => "TLSv1.3" }).ToList();
            yield return new TlsSettings(gateway.File, tls.LineOf(tls.Line(), "minProtocolVersion"), $"{gateway.Display} port {server.Str("port", "number")}",
                protocols, tls.Get("cipherSuites").Strings(), tls.LineOf(tls.Line(), "cipherSuites"), server.Str("port", "protocol") is "HTTPS" or "HTTP2");
        }
    }
}
