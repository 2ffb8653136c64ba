using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Reports.Pushgateway;

public sealed record PushgatewayOptions
{
    /// <summary>The Pushgateway job; with the grouping labels it names the group a push replaces.</summary>
    [Required, RegularExpression(PushgatewayConstants.LabelValuePattern)] public string Job { get; init; } = PushgatewayConstants.DefaultJob;
    /// <summary>Extra grouping labels (besides suite and target), e.g. branch=main.</summary>
    public IReadOnlyDictionary<string, string> GroupingLabels { get; init; } = new Dictionary<string, string>();
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")] public TimeSpan Timeout { get; init; } = PushgatewayConstants.DefaultTimeout;
}

public static class PushgatewayConstants
{
    public const string DefaultJob = "indexforge_resilience";
    public const string MetricPrefix = "indexforge_resilience_";
    /// <summary>Suite label value when a run named no suite.</summary>
    public const string AdHocSuite = "adhoc";
    public const string LabelValuePattern = @"^[^\r\n]+$";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
}

/// <summary>The Pushgateway refused the push or could not be reached.</summary>
public sealed class PushgatewayException(string message, Exception? inner = null) : Exception(message, inner);
