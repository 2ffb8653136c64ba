using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Reaping;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Reaping;

public sealed class ReaperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static async Task<FakeKubeApiServer> SeededAsync()
    {
        var api = await FakeKubeApiServer.StartAsync();
        void Ns(string name, string labels) => api.Seed("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}}}");
        var managed = $"\"{KubeLabels.ManagedBy}\":\"{KubeLabels.ManagedByValue}\"";
        Ns("run-expired", $"{managed},\"{KubeLabels.RunId}\":\"a\",\"{KubeLabels.ExpiresAt}\":\"{Now.AddMinutes(-1).ToUnixTimeSeconds()}\"");
        Ns("run-live", $"{managed},\"{KubeLabels.RunId}\":\"b\",\"{KubeLabels.ExpiresAt}\":\"{Now.AddHours(1).ToUnixTimeSeconds()}\"");
        Ns("run-no-expiry", $"{managed},\"{KubeLabels.RunId}\":\"c\"");
        // Expired by its label but not ours: the selector must keep the reaper away from it.
        Ns("someone-else", $"\"{KubeLabels.RunId}\":\"d\",\"{KubeLabels.ExpiresAt}\":\"1\"");
        return api;
    }

    [Fact]
    public async Task Reap_DeletesOnlyExpiredRunNamespaces()
    {
        await using var api = await SeededAsync();

        var report = await new Reaper(api.Client(), new FakeTimeProvider(Now)).ReapAsync(dryRun: false, CancellationToken.None);

        var list = Assert.Single(api.Requests, r => r.Method == "GET");
        Assert.Equal("/api/v1/namespaces", list.Path);
        Assert.Contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dindexforge-resilience%2Cindexforge.io%2Frun-id", list.Query);
        var delete = Assert.Single(api.Mutations);
        Assert.Equal(("DELETE", "/api/v1/namespaces/run-expired"), (delete.Method, delete.Path));
        Assert.Equal("Background", delete.Json!["propagationPolicy"]!.GetValue<string>());
        Assert.Equal(
            [("run-expired", ReapAction.Deleted), ("run-live", ReapAction.KeptNotExpired), ("run-no-expiry", ReapAction.KeptNoExpiry)],
            report.Entries.Select(e => (e.Namespace, e.Action)));
        Assert.True(api.Exists("/api/v1/namespaces/someone-else"));
    }

    [Fact]
    public async Task Reap_DryRun_DeletesNothingAndSaysWhatItWould()
    {
        await using var api = await SeededAsync();

        var report = await new Reaper(api.Client(), new FakeTimeProvider(Now)).ReapAsync(dryRun: true, CancellationToken.None);

        Assert.Empty(api.Mutations);
        Assert.Equal(ReapAction.WouldDelete, report.Entries.Single(e => e.Namespace == "run-expired").Action);
        Assert.StartsWith("would delete: run-expired run a", report.Lines().First());
    }

    [Fact]
    public async Task Reap_LaterClock_DeletesTheOtherToo()
    {
        await using var api = await SeededAsync();
        await new Reaper(api.Client(), new FakeTimeProvider(Now.AddHours(2))).ReapAsync(dryRun: false, CancellationToken.None);
        Assert.Equal(["/api/v1/namespaces/run-expired", "/api/v1/namespaces/run-live"], api.Mutations.Select(m => m.Path).Order());
    }
}
