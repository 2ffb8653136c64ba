using System.Text.Json.Nodes;

namespace IndexForge.Resilience.Vault.Server.Http;

/// <summary>A response with Vault's shapes: a logical envelope, an errors list, or no content.</summary>
public sealed record VaultResponse(int Status, JsonNode? Body, string? Text = null, string? ContentType = null)
{
    public const string PermissionDenied = "1 error occurred:\n\t* permission denied\n\n";
    public const string SealedError = "Vault is sealed";

    public static VaultResponse NoContent { get; } = new(204, null);

    /// <summary>Vault's logical response envelope around <paramref name="data"/>.</summary>
    public static VaultResponse Logical(JsonNode? data, string mountType, int status = 200, IReadOnlyList<string>? warnings = null) => new(status, new JsonObject
    {
        ["request_id"] = Guid.NewGuid().ToString(),
        ["lease_id"] = "",
        ["renewable"] = false,
        ["lease_duration"] = 0,
        ["data"] = data,
        ["wrap_info"] = null,
        ["warnings"] = warnings is { Count: > 0 } ? new JsonArray(warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()) : null,
        ["auth"] = null,
        ["mount_type"] = mountType,
    });

    public static VaultResponse Errors(int status, params string[] errors) =>
        new(status, new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()) });

    /// <summary>Errors the way Vault's logical layer wraps them (a go-multierror of one).</summary>
    public static VaultResponse MultiError(int status, string error) => Errors(status, $"1 error occurred:\n\t* {error}\n\n");

    public static VaultResponse Forbidden => Errors(403, PermissionDenied);
    public static VaultResponse Sealed => Errors(503, SealedError);
    public static VaultResponse UnsupportedPath => MultiError(404, "unsupported path");
    public static VaultResponse UnsupportedOperation => MultiError(405, "unsupported operation");
    public static VaultResponse NotFound => Errors(404);
}
