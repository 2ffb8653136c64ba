namespace IndexForge.Resilience.Vault.Client;

/// <summary>
/// A Vault token. Its <see cref="ToString"/> never shows the value, so a token that ends up in a log line, an
/// exception message or a record's printout stays secret; <see cref="Reveal"/> is the one way to the value.
/// </summary>
public sealed class VaultToken : IEquatable<VaultToken>
{
    private readonly string _value;

    public VaultToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (value.Any(char.IsControl)) throw new ArgumentException("a Vault token holds no control characters", nameof(value));
        _value = value;
    }

    /// <summary>The token value, for the X-Vault-Token header and nothing else.</summary>
    public string Reveal() => _value;

    public override string ToString() => "VaultToken(redacted)";

    public bool Equals(VaultToken? other) =>
        other is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(_value), System.Text.Encoding.UTF8.GetBytes(other._value));

    public override bool Equals(object? obj) => obj is VaultToken other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
