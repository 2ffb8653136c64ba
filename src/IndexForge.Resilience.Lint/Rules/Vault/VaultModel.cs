using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using IndexForge.Resilience.Lint.Rules.Kubernetes;

namespace IndexForge.Resilience.Lint.Rules.Vault;

public sealed record VaultListener(HclFile File, HclBlock Block)
{
    public string Address => Block.Body.Str("address") ?? "127.0.0.1:8200";
    public int Port => int.TryParse(Address[(Address.LastIndexOf(':') + 1)..], out var p) ? p : 8200;
    public bool TlsDisabled => Block.Body.Attribute("tls_disable")?.Value.AsBool() == true;
}

public static class VaultModel
{
    public static bool IsVaultImage(string? image) =>
        image is not null && ContainerModel.Repository(image) is "vault" or "hashicorp/vault";

    public static IEnumerable<ComposeService> VaultServices(ConfigSet set) =>
        set.ComposeFiles.SelectMany(c => c.Services()).Where(s => IsVaultImage(s.Image));

    public static IEnumerable<VaultListener> Listeners(ConfigSet set) =>
        set.VaultConfigs.SelectMany(f => f.Body.BlocksOf("listener").Where(b => b.Label == "tcp").Select(b => new VaultListener(f, b)));

    public static bool TlsEnabled(ConfigSet set) => Listeners(set).Any(l => !l.TlsDisabled);

    /// <summary>Parses "1.13.3" into (1, 13); null for tags that are not versions.</summary>
    public static (int Major, int Minor)? Version(string? tag)
    {
        if (tag is null) return null;
        var parts = tag.TrimStart('v').Split('.', '-');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor) ? (major, minor) : null;
    }

    /// <summary>The Vault server arguments after the image's entrypoint (which prepends `vault`).</summary>
    public static bool RunsServer(ComposeService service) =>
        service.Command() is { Count: > 0 } cmd && (cmd[0] == "server" || (cmd.Count > 1 && cmd[0] == "vault" && cmd[1] == "server"));

    public static bool DevMode(ComposeService service) =>
        service.Command().Any(a => a == "-dev" || a == "--dev" || a.StartsWith("-dev=", StringComparison.Ordinal));
}
