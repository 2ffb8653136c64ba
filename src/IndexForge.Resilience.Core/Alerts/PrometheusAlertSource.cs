using IndexForge.Resilience.Core.Metrics.PrometheusApi;

namespace IndexForge.Resilience.Core.Alerts;

/// <summary>An <see cref="IAlertSource"/> over a Prometheus server's HTTP API (embedded or in-cluster).</summary>
public sealed class PrometheusAlertSource(PrometheusApiClient client) : IAlertSource
{
    public string? Unavailable => null;

    public Task<IReadOnlyList<PromAlert>> ActiveAlertsAsync(CancellationToken cancellationToken) => client.AlertsAsync(cancellationToken);

    public async Task<AlertSourceSnapshot> DescribeAsync(CancellationToken cancellationToken)
    {
        var groups = await client.RulesAsync("alert", cancellationToken).ConfigureAwait(false);
        var rules = groups.SelectMany(g => g.Rules.Select(r => new AlertRuleInfo(r.Name, r.Query, g.File, r.Health, r.LastError))).ToList();
        var names = await client.QueryAsync("count by (__name__) ({__name__=~\".+\"})", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AlertSourceSnapshot(rules, names.Series.Select(s => s.Name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal));
    }
}

/// <summary>The source of a target that cannot evaluate alerts here; assertions on alerts are skipped with <see cref="Unavailable"/>.</summary>
public sealed class UnavailableAlertSource(string reason) : IAlertSource
{
    public string? Unavailable { get; } = reason;

    public Task<IReadOnlyList<PromAlert>> ActiveAlertsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Unavailable);

    public Task<AlertSourceSnapshot> DescribeAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Unavailable);
}

/// <summary>Polls an <see cref="IAlertSource"/> until cancelled, then describes it once (the runner's side of the contract).</summary>
public static class AlertRecorder
{
    public static async Task<AlertTimeline> RecordAsync(IAlertSource source, Func<TimeSpan> now, TimeProvider time, TimeSpan interval,
        CancellationToken cancellationToken)
    {
        if (source.Unavailable is { } reason) return new AlertTimeline { Unavailable = reason };
        var samples = new List<AlertSample>();
        var failed = 0;
        string? firstError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var at = now();
                samples.Add(new AlertSample(at, await source.ActiveAlertsAsync(cancellationToken).ConfigureAwait(false)));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { break; }
            catch (Exception e) when (e is HttpRequestException or PrometheusApiException or OperationCanceledException)
            {
                failed++;
                firstError ??= e.Message;
            }
            try { await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        AlertSourceSnapshot? snapshot = null;
        try
        {
            using var timeout = new CancellationTokenSource(AlertConstants.DescribeTimeout);
            snapshot = await source.DescribeAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or PrometheusApiException or OperationCanceledException)
        {
            firstError ??= $"describe: {e.Message}";
        }
        return new AlertTimeline { Samples = samples, Snapshot = snapshot, FailedPolls = failed, FirstError = firstError, PollInterval = interval };
    }
}
