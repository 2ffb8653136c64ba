namespace IndexForge.Resilience.Vault.Client;

/// <summary>
/// The answer of <c>PUT sys/init</c>: unseal key shares (hex and base64) and the initial root token. Every member
/// is a secret, so <see cref="ToString"/> shows only the counts.
/// </summary>
public sealed class VaultInitResponse
{
    public VaultInitResponse(IReadOnlyList<string> keys, IReadOnlyList<string> keysBase64, VaultToken rootToken)
    {
        Keys = keys;
        KeysBase64 = keysBase64;
        RootToken = rootToken;
    }

    /// <summary>Unseal key shares, hex encoded.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The same shares, base64 encoded.</summary>
    public IReadOnlyList<string> KeysBase64 { get; }

    public VaultToken RootToken { get; }

    public override string ToString() => $"VaultInitResponse({Keys.Count} unseal keys, root token redacted)";
}
