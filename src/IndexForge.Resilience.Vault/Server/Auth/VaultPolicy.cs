namespace IndexForge.Resilience.Vault.Server.Auth;

/// <summary>Vault ACL capabilities (policy <c>capabilities = [...]</c>).</summary>
[Flags]
public enum VaultCapabilities
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    List = 16,
    Patch = 32,
    Sudo = 64,
    Deny = 128,
}

/// <summary>One <c>path "..." { capabilities = [...] }</c> block: a path, optionally ending in <c>*</c> (prefix) or holding <c>+</c> (one segment).</summary>
public sealed record VaultPolicyRule(string Path, VaultCapabilities Capabilities);

/// <summary>A named ACL policy.</summary>
public sealed record VaultPolicy(string Name, IReadOnlyList<VaultPolicyRule> Rules)
{
    /// <summary>The HCL the policy was parsed from, if any (returned by GET sys/policies/acl/:name).</summary>
    public string? Source { get; init; }

    public const string RootName = "root";
    public const string DefaultName = "default";

    /// <summary>Vault's built-in default policy, reduced to the token self-service paths this server serves.</summary>
    public static VaultPolicy Default { get; } = new(DefaultName,
    [
        new("auth/token/lookup-self", VaultCapabilities.Read),
        new("auth/token/renew-self", VaultCapabilities.Update),
        new("auth/token/revoke-self", VaultCapabilities.Update),
    ]);

    /// <summary>A policy granting <paramref name="capabilities"/> on KV v2 data under <c>secret/data/&lt;prefix&gt;*</c>, e.g. prefix "indexforge/".</summary>
    public static VaultPolicy KvData(string name, string prefix, VaultCapabilities capabilities) =>
        new(name, [new($"secret/data/{prefix}*", capabilities)]);

    /// <summary>Parses Vault's policy HCL subset: <c>path "p" { capabilities = ["read", ...] }</c> blocks and <c>#</c> comments.</summary>
    public static VaultPolicy Parse(string name, string hcl) => new(name, PolicyHcl.Parse(hcl)) { Source = hcl };
}
