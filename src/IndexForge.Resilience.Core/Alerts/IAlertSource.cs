using IndexForge.Resilience.Core.Metrics.PrometheusApi;

namespace IndexForge.Resilience.Core.Alerts;

/// <summary>
/// A Prometheus (or anything answering like one) evaluating the mesh's alert rules during a run. A
/// target that has one sets <see cref="Targets.TargetEnvironment.Alerts"/>; the runner polls
/// <see cref="ActiveAlertsAsync"/> every second while load runs and asks <see cref="DescribeAsync"/>
/// once at the end, before tear-down. The result reaches assertions as an <see cref="AlertTimeline"/>.
/// </summary>
public interface IAlertSource
{
    /// <summary>Why alerts cannot be read here (e.g. "prometheus is not installed ..."); null when they can.</summary>
    string? Unavailable { get; }

    /// <summary>Every pending or firing alert now.</summary>
    Task<IReadOnlyList<PromAlert>> ActiveAlertsAsync(CancellationToken cancellationToken);

    /// <summary>The alert rules loaded and the metric names the server holds, to explain an alert that never fired.</summary>
    Task<AlertSourceSnapshot> DescribeAsync(CancellationToken cancellationToken);
}

/// <summary>An alerting rule as the server loaded it.</summary>
public sealed record AlertRuleInfo(string Name, string Query, string File, string Health, string? LastError);

public sealed record AlertSourceSnapshot(IReadOnlyList<AlertRuleInfo> Rules, IReadOnlySet<string> MetricNames);

/// <summary>The alerts active at one poll, <see cref="At"/> being the offset from load start.</summary>
public sealed record AlertSample(TimeSpan At, IReadOnlyList<PromAlert> Active);

/// <summary>What the alert source showed over a run: one sample per poll, and what it knew at the end.</summary>
public sealed record AlertTimeline
{
    /// <summary>Set when the source could not be used at all; the samples are then empty.</summary>
    public string? Unavailable { get; init; }
    public IReadOnlyList<AlertSample> Samples { get; init; } = [];
    public AlertSourceSnapshot? Snapshot { get; init; }
    /// <summary>Polls that failed, and the first error, so a silent server is not mistaken for a quiet alert.</summary>
    public int FailedPolls { get; init; }
    public string? FirstError { get; init; }
    public TimeSpan PollInterval { get; init; } = AlertConstants.PollInterval;
}

public static class AlertConstants
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DescribeTimeout = TimeSpan.FromSeconds(10);
    public const string PrometheusMissing = "prometheus is not installed (apt-get install prometheus)";
}
