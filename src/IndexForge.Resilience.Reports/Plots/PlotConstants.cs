namespace IndexForge.Resilience.Reports.Plots;

public static class PlotConstants
{
    public const int Width = 1100;
    public const int Height = 420;
    /// <summary>A sans font Debian ships (fonts-dejavu-core); the default resolves to a serif one (FACTS.md).</summary>
    public const string FontName = "DejaVu Sans";
    public const double FaultShadeAlpha = 0.18;
    /// <summary>More timeline events than this are not drawn one by one (the events table lists them).</summary>
    public const int MaxEventLines = 200;
    public const string TimeAxisLabel = "time since load start (s)";
}

/// <summary>Plot kinds; part of each PNG's file name.</summary>
public static class PlotKinds
{
    public const string Latency = "latency";
    public const string Throughput = "throughput";
    public const string TrafficByReplica = "traffic-replica";
    public const string TrafficByRegion = "traffic-region";
    public const string Distributions = "distributions";
}

/// <summary>One rendered PNG and what it shows.</summary>
public sealed record RenderedPlot(int ScenarioIndex, string Scenario, string Kind, string Title, string Description, string FileName, byte[] Png, int Width, int Height);
