using System.Diagnostics;
using System.Text.RegularExpressions;
using IndexForge.Resilience.Testing;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server.Metrics;

public sealed partial class VaultMetricsTests : IAsyncLifetime
{
    private VaultFixture _vault = null!;

    [GeneratedRegex(@"^vault_core_unsealed\{cluster=""vault-cluster-[0-9a-f]{8}""\} (?<v>[01])$", RegexOptions.Multiline)]
    private static partial Regex Unsealed();

    public async Task InitializeAsync() => _vault = await VaultFixture.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private async Task<string> ScrapeAsync(HttpClient? http = null)
    {
        using var response = await (http ?? _vault.Raw()).GetAsync("sys/metrics?format=prometheus");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Metrics_UnsealedThenSealed_GaugeFollows()
    {
        var unsealed = await ScrapeAsync();
        await _vault.Server.SealAsync();
        var sealedText = await ScrapeAsync();

        Assert.Equal("1", Unsealed().Match(unsealed).Groups["v"].Value);
        Assert.Equal("0", Unsealed().Match(sealedText).Groups["v"].Value);
        // The cluster label stays the same, so the gauge is one series going 1 -> 0, not two.
        var label = Unsealed().Match(unsealed).Value.Split('}')[0];
        Assert.StartsWith(label, Unsealed().Match(sealedText).Value, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^vault_core_active\{cluster=""vault-cluster-[0-9a-f]{8}""\} 0$", sealedText);
    }

    [Fact]
    public async Task Metrics_Requests_CountInHandleRequest()
    {
        static long Count(string text) => long.Parse(Regex.Match(text, @"^vault_core_handle_request_count (\d+)$", RegexOptions.Multiline).Groups[1].Value);
        var before = Count(await ScrapeAsync());
        var client = _vault.RootClient();
        for (var i = 0; i < 5; i++) await client.HealthAsync();
        var after = await ScrapeAsync();

        Assert.True(Count(after) >= before + 5, $"{before} -> {Count(after)}");
        Assert.Matches(@"(?m)^vault_barrier_get_count [1-9]\d*$", after);
    }

    [Fact]
    public async Task Metrics_WithoutFormat_AreRefusedWithAHint()
    {
        using var response = await _vault.Raw().GetAsync("sys/metrics");
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AuthenticatedAccess_NeedsAToken()
    {
        await using var vault = await VaultFixture.StartAsync(o => o with { UnauthenticatedMetricsAccess = false });
        using var anonymous = await vault.Raw().GetAsync("sys/metrics?format=prometheus");
        Assert.Equal(403, (int)anonymous.StatusCode);
        using var root = await vault.Raw(vault.Server.RootToken).GetAsync("sys/metrics?format=prometheus");
        Assert.Equal(200, (int)root.StatusCode);
    }

    [RequiresToolFact("promtool", "prometheus")]
    public async Task Metrics_PassPromtoolCheck()
    {
        await _vault.RootClient().HealthAsync();
        var text = await ScrapeAsync();
        var (exit, output) = await PromtoolCheckAsync(text);
        Assert.True(exit == 0, output);
        // Negative control: promtool does reject a broken exposition.
        var (badExit, _) = await PromtoolCheckAsync(text + "vault_core_unsealed{cluster=\"x\" 1\n");
        Assert.NotEqual(0, badExit);
    }

    private static async Task<(int Exit, string Output)> PromtoolCheckAsync(string text)
    {
        var start = new ProcessStartInfo(Tools.Find("promtool")!, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
