using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Bench;

/// <summary>What <c>./run.sh bench</c> measures and for how long.</summary>
public sealed record BenchOptions
{
    /// <summary>Length of each throughput run and each rate-accuracy run.</summary>
    public TimeSpan Duration { get; init; } = BenchConstants.DefaultDuration;
    /// <summary>Connections for every tool in the throughput comparison (the engine runs as many users).</summary>
    [Range(1, 10_000)] public int Connections { get; init; } = BenchConstants.DefaultConnections;
    /// <summary>Section names to run (<see cref="BenchSections"/>); empty runs them all.</summary>
    public IReadOnlyList<string> Sections { get; init; } = [];
    /// <summary>Shorter runs (each section prints what it shortened).</summary>
    public bool Quick { get; init; }
    /// <summary>Rates of the rate-accuracy section, requests per second.</summary>
    public IReadOnlyList<double> Rates { get; init; } = BenchConstants.DefaultRates;
    /// <summary>Rate of the two memory runs.</summary>
    [Range(1, 1_000_000)] public double MemoryRate { get; init; } = BenchConstants.MemoryRate;
    /// <summary>Lengths of the short and long memory runs.</summary>
    public TimeSpan MemoryShort { get; init; } = BenchConstants.MemoryShort;
    public TimeSpan MemoryLong { get; init; } = BenchConstants.MemoryLong;
    /// <summary>Use an in-process Kestrel target even when nginx is installed.</summary>
    public bool ForceKestrel { get; init; }
    /// <summary>Exit 1 when a goal is missed (by default the bench only reports).</summary>
    public bool FailOnMissedGoal { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Duration < TimeSpan.FromSeconds(1)) errors.Add("duration must be at least 1s");
        if (Connections < 1) errors.Add("connections must be at least 1");
        if (Rates.Any(r => r <= 0)) errors.Add("rates must be positive");
        if (MemoryRate <= 0) errors.Add("the memory rate must be positive");
        if (MemoryShort <= TimeSpan.Zero || MemoryLong <= MemoryShort) errors.Add("the long memory run must be longer than the short one");
        return errors;
    }
}

public static class BenchConstants
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    public const int DefaultConnections = 64;
    public static readonly IReadOnlyList<double> DefaultRates = [1_000, 5_000, 10_000];
    public const double MemoryRate = 2_000;
    public static readonly TimeSpan MemoryShort = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MemoryLong = TimeSpan.FromMinutes(5);
    /// <summary>Quick mode: each run this long, memory runs 12 s and 60 s (the same 1:5 ratio).</summary>
    public static readonly TimeSpan QuickDuration = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan QuickMemoryShort = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan QuickMemoryLong = TimeSpan.FromSeconds(60);
    /// <summary>Throughput runs per tool (interleaved; the best counts): runs vary by up to 30% here.</summary>
    public const int ThroughputRounds = 2;
    /// <summary>Each open-model run starts with this long at the same rate, not measured (JIT, connections).</summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    /// <summary>The body the target serves (the FACTS.md anchors used 2 bytes).</summary>
    public const string Body = "ok";

    // Goals of issue 3 on the 2-core machine.
    public const double GoalVersusHey = 1.0;
    public const double GoalVersusWrk = 0.8;
    public const double GoalRate = 5_000;
    public const double GoalRateError = 0.01;
    public static readonly TimeSpan GoalLagP99 = TimeSpan.FromMilliseconds(2);
    public const double GoalMemoryGrowth = 0.10;
}

/// <summary>Names of the built-in sections, as <c>--sections</c> takes them.</summary>
public static class BenchSections
{
    public const string Throughput = "throughput";
    public const string RateAccuracy = "rate";
    public const string Memory = "memory";
}
