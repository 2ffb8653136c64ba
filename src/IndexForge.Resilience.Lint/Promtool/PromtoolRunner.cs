using System.Diagnostics;

namespace IndexForge.Resilience.Lint.Promtool;

public sealed record PromtoolResult(int ExitCode, string Output, bool TimedOut);

/// <summary>Runs the real promtool (Debian package prometheus) when it is installed.</summary>
public static class PromtoolRunner
{
    public static string? Find(LintOptions options)
    {
        if (options.PromtoolPath is { } explicitPath) return File.Exists(explicitPath) ? explicitPath : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, LintConstants.PromtoolExecutable);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static PromtoolResult Run(string promtool, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(promtool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new PromtoolResult(-1, $"promtool did not finish within {timeout.TotalSeconds:0}s", true);
        }
        process.WaitForExit();
        return new PromtoolResult(process.ExitCode, (stdout.Result + stderr.Result).Trim(), false);
    }
}
