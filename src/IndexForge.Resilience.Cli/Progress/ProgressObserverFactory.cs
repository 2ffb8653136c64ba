using IndexForge.Resilience.Core.Running;
using Spectre.Console;

namespace IndexForge.Resilience.Cli.Progress;

/// <summary>
/// Picks the progress display: the live table on an interactive terminal, plain lines when output is
/// redirected, <c>CI</c> is set or <c>TERM=dumb</c> (Spectre's own fallback prints throttled lines and never the
/// final state, FACTS.md), nothing for --quiet.
/// </summary>
public static class ProgressObserverFactory
{
    public static IRunObserver Create(ProgressMode mode = ProgressMode.Auto, TextWriter? output = null, TimeProvider? time = null, ProgressOptions? options = null)
    {
        var resolved = Resolve(mode, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("CI"), Environment.GetEnvironmentVariable("TERM"));
        return resolved switch
        {
            ProgressMode.Quiet => NullRunObserver.Instance,
            ProgressMode.Plain => new PlainProgressObserver(output ?? Console.Out, time, options),
            _ => new LiveProgressObserver(output is null
                ? AnsiConsole.Console
                : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }), time, options),
        };
    }

    public static ProgressMode Resolve(ProgressMode requested, bool outputRedirected, string? ciVariable, string? term)
    {
        if (requested != ProgressMode.Auto) return requested;
        var ci = !string.IsNullOrWhiteSpace(ciVariable) && ciVariable.Trim().ToLowerInvariant() is not ("false" or "0" or "no");
        return outputRedirected || ci || term == "dumb" ? ProgressMode.Plain : ProgressMode.Live;
    }
}
