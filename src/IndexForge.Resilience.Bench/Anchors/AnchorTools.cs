using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Bench.Anchors;

/// <summary>What an external load tool reported for one run.</summary>
public sealed record AnchorResult(string Tool, double RequestsPerSecond, long Requests, long Errors, string Command);

/// <summary>Runs wrk and hey with the same connections and duration and reads their summaries.</summary>
public static partial class AnchorTools
{
    public const string Wrk = "wrk";
    public const string Hey = "hey";

    public static IReadOnlyList<string> Arguments(string tool, Uri target, int connections, TimeSpan duration) => tool switch
    {
        // One wrk thread per core, as wrk's own guidance; never more threads than connections.
        Wrk => ["-t", Math.Min(Environment.ProcessorCount, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{(int)duration.TotalSeconds}s", target.ToString()],
        Hey => ["-z", $"{(int)duration.TotalSeconds}s", "-c", connections.ToString(CultureInfo.InvariantCulture), "-disable-compression", "-disable-redirects", target.ToString()],
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "unknown anchor tool"),
    };

    public static async Task<AnchorResult> RunAsync(string tool, string path, Uri target, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var args = Arguments(tool, target, connections, duration);
        var info = new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        var output = await stdout;
        var command = $"{tool} {string.Join(' ', args)}";
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} exited {process.ExitCode}: {(await stderr).Trim()}");
        return tool == Wrk ? ParseWrk(output, command) : ParseHey(output, command);
    }

    public static AnchorResult ParseWrk(string output, string command = Wrk)
    {
        var rps = Number(RequestsPerSecond().Match(output), "Requests/sec", output);
        var total = WrkTotal().Match(output);
        long errors = 0;
        var non2xx = WrkNon2xx().Match(output);
        if (non2xx.Success) errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        var socket = WrkSocketErrors().Match(output);
        if (socket.Success) errors += Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture));
        return new AnchorResult(Wrk, rps, total.Success ? long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : 0, errors, command);
    }

    public static AnchorResult ParseHey(string output, string command = Hey)
    {
        var rps = Number(RequestsPerSecond().Match(output), "Requests/sec", output);
        long ok = 0, errors = 0;
        foreach (Match m in HeyStatus().Matches(output))
        {
            var count = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (m.Groups[1].Value[0] is '2' or '3') ok += count;
            else errors += count;
        }
        foreach (Match m in HeyError().Matches(output)) errors += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new AnchorResult(Hey, rps, ok + errors, errors, command);
    }

    private static double Number(Match m, string what, string output) => m.Success
        ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
        : throw new FormatException($"no '{what}' in the tool's output: {output.Trim()}");

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex WrkTotal();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex WrkNon2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex WrkSocketErrors();

    [GeneratedRegex(@"\[(\d{3})\]\s+(\d+) responses")]
    private static partial Regex HeyStatus();

    [GeneratedRegex(@"^\s+\[(\d+)\]\s+Get ", RegexOptions.Multiline)]
    private static partial Regex HeyError();
}
