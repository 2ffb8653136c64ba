using System.Globalization;
using IndexForge.Resilience.Bench.Anchors;
using IndexForge.Resilience.Bench.Sections;
using IndexForge.Resilience.Bench.Targets;

namespace IndexForge.Resilience.Bench;

/// <summary>
/// <c>./run.sh bench</c>: starts one local target (our own nginx when installed, else Kestrel),
/// runs the sections against it in one process and prints their figures side by side, then the
/// goals. Exit codes: 0 done (goals are reported, not enforced unless asked), 1 a goal missed
/// with <see cref="BenchOptions.FailOnMissedGoal"/>, 2 invalid options or no target.
/// </summary>
public sealed class BenchRunner
{
    /// <summary>
    /// Built-in sections in the order they run. Memory runs first, while the process is fresh, so
    /// the other sections' connections and buffers do not flatter or inflate its figures.
    /// </summary>
    public static IReadOnlyList<IBenchSection> DefaultSections { get; } = [new MemorySection(), new ThroughputSection(), new RateAccuracySection()];

    private readonly IReadOnlyList<IBenchSection> _sections;
    private readonly ToolLocator _tools;

    /// <param name="sections">Sections to offer (e.g. <see cref="DefaultSections"/> plus a mesh-overhead section).</param>
    public BenchRunner(IEnumerable<IBenchSection>? sections = null, ToolLocator? tools = null)
    {
        _sections = [.. sections ?? DefaultSections];
        _tools = tools ?? new ToolLocator();
        var duplicate = _sections.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two bench sections are named '{duplicate.Key}'", nameof(sections));
    }

    public IReadOnlyList<IBenchSection> Sections => _sections;

    public async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var errors = options.Validate().ToList();
        var unknown = options.Sections.Where(n => _sections.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0) errors.Add($"unknown section(s) {string.Join(", ", unknown)}; known: {string.Join(", ", _sections.Select(s => s.Name))}");
        if (errors.Count > 0)
        {
            foreach (var e in errors) output.WriteLine("bench: " + e);
            return 2;
        }
        var selected = options.Sections.Count == 0 ? _sections : _sections.Where(s => options.Sections.Contains(s.Name)).ToList();

        output.WriteLine($"IndexForge.Resilience bench, {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        output.WriteLine("machine: " + MachineDescription.Current());
        // Process-wide and read once when the first socket is made, so it can only be reported here, not chosen.
        output.WriteLine("socket completions: " + (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1"
            ? "inline on the event threads (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)"
            : "on the thread pool (.NET default)"));
        // Also read once, at start-up: the gen0 budget decides how much garbage a run carries before a collection.
        output.WriteLine("gc: " + (System.Runtime.GCSettings.IsServerGC ? "server" : "workstation") + ", gen0 budget "
            + (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 } gen0
                ? $"DOTNET_GCgen0size={gen0} (run.sh sets 0x400000 = 4 MB unless it is already set)"
                : "the runtime's default (sized from the CPU cache)"));
        IBenchTarget target;
        try
        {
            target = await StartTargetAsync(options, output, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.WriteLine("bench: no target could be started: " + e.Message);
            return 2;
        }
        var goals = new List<BenchGoal>();
        await using (target)
        {
            output.WriteLine($"target: {target.Description} at {target.Address}");
            output.WriteLine($"anchors: wrk {(_tools.Find(AnchorTools.Wrk) is null ? "not installed" : "installed")}, hey {(_tools.Find(AnchorTools.Hey) is null ? "not installed" : "installed")}");
            var context = new BenchContext { Options = options, Target = target, Output = output, Tools = _tools };
            foreach (var section in selected)
            {
                output.WriteLine();
                output.WriteLine($"[{section.Name}] {section.Title}");
                try
                {
                    goals.AddRange(await section.RunAsync(context, cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    output.WriteLine($"  section failed: {e.Message}");
                    goals.Add(new BenchGoal(section.Name, "section ran", false, e.GetType().Name + ": " + e.Message));
                }
            }
        }

        output.WriteLine();
        output.WriteLine("goals");
        foreach (var g in goals) output.WriteLine($"  {g.Verdict,-12}{g.Goal}: {g.Observed}");
        return options.FailOnMissedGoal && goals.Any(g => g.Met == false) ? 1 : 0;
    }

    private async Task<IBenchTarget> StartTargetAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var nginx = options.ForceKestrel ? null : _tools.Find("nginx");
        if (nginx is not null)
        {
            try
            {
                return await NginxTarget.StartAsync(nginx, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                output.WriteLine($"nginx did not start ({e.Message}); using Kestrel");
            }
        }
        else if (!options.ForceKestrel)
        {
            output.WriteLine("nginx is not installed (apt-get install nginx); using an in-process Kestrel target");
        }
        return await KestrelTarget.StartAsync(cancellationToken);
    }
}
