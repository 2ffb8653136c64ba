namespace IndexForge.Resilience.Reports.Redaction;

public static class RedactionConstants
{
    /// <summary>What a secret value is replaced with; holds no character that JSON, XML, HTML or Markdown treat specially.</summary>
    public const string Placeholder = "[REDACTED]";

    /// <summary>Literal secrets shorter than this are not redacted by value: they would blank ordinary words.</summary>
    public const int MinimumLiteralLength = 8;

    /// <summary>Header names whose values are secrets wherever they appear ("name: value", "name=value", JSON).</summary>
    public static readonly IReadOnlyList<string> SecretHeaders =
    [
        "x-indexforge-api-key",
        "x-vault-token",
        "authorization",
        "proxy-authorization",
    ];

    /// <summary>Key names whose values are secrets in "key=value" / "key: value" / JSON form.</summary>
    public static readonly IReadOnlyList<string> SecretKeys =
    [
        "password", "passwd", "client_secret", "secret_id", "api_key", "apikey", "vault_token", "root_token", "token",
    ];
}
