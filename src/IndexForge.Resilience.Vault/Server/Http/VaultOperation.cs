using IndexForge.Resilience.Vault.Server.Auth;

namespace IndexForge.Resilience.Vault.Server.Http;

/// <summary>Vault's logical operations; each needs the capability of the same name.</summary>
public enum VaultOperation
{
    Read,
    List,
    Create,
    Update,
    Delete,
    Patch,
}

internal static class VaultOperations
{
    /// <summary>The operation of a request before the existence check (POST/PUT start as update).</summary>
    public static VaultOperation? FromMethod(string method, bool listQuery) => method switch
    {
        "GET" or "HEAD" => listQuery ? VaultOperation.List : VaultOperation.Read,
        "LIST" => VaultOperation.List,
        "POST" or "PUT" => VaultOperation.Update,
        "DELETE" => VaultOperation.Delete,
        "PATCH" => VaultOperation.Patch,
        _ => null,
    };

    public static VaultCapabilities Capability(this VaultOperation operation) => operation switch
    {
        VaultOperation.Read => VaultCapabilities.Read,
        VaultOperation.List => VaultCapabilities.List,
        VaultOperation.Create => VaultCapabilities.Create,
        VaultOperation.Update => VaultCapabilities.Update,
        VaultOperation.Delete => VaultCapabilities.Delete,
        VaultOperation.Patch => VaultCapabilities.Patch,
        _ => VaultCapabilities.None,
    };
}
