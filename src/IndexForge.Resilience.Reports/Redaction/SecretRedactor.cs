using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Reports.Redaction;

/// <summary>
/// Removes secret values from text before it reaches a report: Vault tokens (<c>hvs.</c>, <c>hvb.</c>,
/// <c>hvr.</c> and the legacy <c>s.</c>/<c>b.</c> forms), PEM private keys, the values of secret headers
/// such as <c>x-indexforge-api-key</c>, and any literal secret the caller knows the run used.
/// </summary>
public sealed partial class SecretRedactor
{
    public static SecretRedactor Default { get; } = new([]);

    private readonly string[] _literals;

    private SecretRedactor(IEnumerable<string> literals)
    {
        // Longest first, so a secret that contains another is removed whole.
        _literals = literals.Where(l => l.Length >= RedactionConstants.MinimumLiteralLength)
            .Distinct(StringComparer.Ordinal).OrderByDescending(l => l.Length).ToArray();
    }

    /// <summary>A redactor that also removes these exact values (e.g. the tokens and keys the run created).</summary>
    public SecretRedactor WithLiterals(IEnumerable<string> secrets) => new(_literals.Concat(secrets));

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = text;
        foreach (var literal in _literals)
            result = result.Replace(literal, RedactionConstants.Placeholder, StringComparison.Ordinal);
        result = PemPrivateKey().Replace(result, RedactionConstants.Placeholder);
        result = VaultToken().Replace(result, RedactionConstants.Placeholder);
        result = SecretValue.Replace(result, m => m.Groups["lead"].Value + RedactionConstants.Placeholder);
        result = BearerValue().Replace(result, m => m.Groups["lead"].Value + RedactionConstants.Placeholder);
        return result;
    }

    /// <summary>True when <paramref name="text"/> still contains something this redactor would remove.</summary>
    public bool ContainsSecret(string text) => Redact(text) != text;

    // A whole block, or a BEGIN line whose END was cut off (then to the end of the base64 run).
    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)")]
    private static partial Regex PemPrivateKey();

    // Vault service/batch/recovery tokens (hvs./hvb./hvr.) and the pre-1.10 forms s./b. with 24+ characters.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])(?:hv[sbr]\.[A-Za-z0-9_-]{20,}|[sb]\.[A-Za-z0-9]{24,})(?![A-Za-z0-9])")]
    private static partial Regex VaultToken();

    // name: value | name=value | "name": "value" | name => value; keeps the name, drops the value.
    private static readonly Regex SecretValue = new(
        @"(?<lead>(?<![A-Za-z0-9_-])(?:" + string.Join("|", RedactionConstants.SecretHeaders.Concat(RedactionConstants.SecretKeys).Select(Regex.Escape))
        + @")[""']?\s*(?:=>|[:=])\s*[""']?)(?!\[REDACTED\])(?!(?:Bearer|Basic)\s)[^\s""',;&<>)\]}]+",
        RegexOptions.IgnoreCase | RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // "Authorization: Bearer xyz" / "Basic xyz": keep the scheme, drop the credential.
    [GeneratedRegex(@"(?<lead>\b(?:Bearer|Basic)\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex BearerValue();
}
