namespace IndexForge.Resilience.Vault.Client;

/// <summary>
/// A Vault call that did not succeed. Messages carry the method, the API path, the status and Vault's error
/// texts, never a token or a secret value (Vault's errors do not echo them).
/// </summary>
public class VaultException : Exception
{
    public VaultException(string message, string path, int? statusCode, IReadOnlyList<string> errors, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
        StatusCode = statusCode;
        Errors = errors;
    }

    /// <summary>The API path below /v1/, e.g. secret/data/indexforge/api-key.</summary>
    public string Path { get; }

    /// <summary>The HTTP status, or null when no answer came (connection failure, timeout).</summary>
    public int? StatusCode { get; }

    public IReadOnlyList<string> Errors { get; }

    internal static string Describe(string method, string path, int status, IReadOnlyList<string> errors) =>
        $"Vault answered {status} to {method} /v1/{path}" + (errors.Count > 0 ? ": " + string.Join("; ", errors.Select(e => e.Trim())) : "");
}

/// <summary>403: the token is missing, invalid, expired, or its policies do not grant the capability on <see cref="VaultException.Path"/>.</summary>
public sealed class VaultForbiddenException(string method, string path, IReadOnlyList<string> errors)
    : VaultException($"permission denied on {method} /v1/{path} (403)", path, 403, errors);

/// <summary>404: nothing at the path, or the version asked for is deleted or destroyed (then <see cref="Version"/> says which).</summary>
public sealed class VaultNotFoundException(string method, string path, IReadOnlyList<string> errors, KvVersionMetadata? version)
    : VaultException(version is null
        ? $"nothing at {method} /v1/{path} (404)"
        : $"version {version.Version} at /v1/{path} is {(version.Destroyed ? "destroyed" : "deleted")} (404)", path, 404, errors)
{
    public KvVersionMetadata? Version { get; } = version;
}

/// <summary>503 "Vault is sealed": not retried, since unsealing takes an operator (or auto-unseal) and callers should fall back at once.</summary>
public sealed class VaultSealedException(string method, string path, IReadOnlyList<string> errors)
    : VaultException($"Vault is sealed ({method} /v1/{path}, 503)", path, 503, errors);

/// <summary>400 from a KV v2 write whose check-and-set did not hold (or was required and missing). Never retried.</summary>
public sealed class VaultCasConflictException(string method, string path, IReadOnlyList<string> errors, int? expectedVersion)
    : VaultException(VaultException.Describe(method, path, 400, errors), path, 400, errors)
{
    /// <summary>The cas value sent (null when cas was required but not sent).</summary>
    public int? ExpectedVersion { get; } = expectedVersion;
}

/// <summary>Vault could not be reached or kept failing transiently (connection error, timeout, 5xx other than sealed) after the retries.</summary>
public sealed class VaultUnavailableException(string message, string path, int? statusCode, IReadOnlyList<string> errors, Exception? inner = null)
    : VaultException(message, path, statusCode, errors, inner);

/// <summary>Any other refusal (400, 405, ...): a request this client should not have made as it did.</summary>
public sealed class VaultRequestException(string method, string path, int status, IReadOnlyList<string> errors)
    : VaultException(VaultException.Describe(method, path, status, errors), path, status, errors);
