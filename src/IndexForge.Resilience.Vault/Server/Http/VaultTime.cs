using System.Globalization;

namespace IndexForge.Resilience.Vault.Server.Http;

internal static class VaultTime
{
    /// <summary>Go's RFC3339Nano as Vault prints times: UTC, trailing zeros of the fraction dropped.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset? time) => time is { } t ? Format(t) : "";
}
