using System.Net.Sockets;
using Xunit;

namespace IndexForge.Resilience.Testing;

/// <summary>A fact that needs a real tool from Debian; skips with the reason (and the apt package) where it is missing.</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool, string? aptPackage = null)
    {
        if (Tools.Find(tool) is null) Skip = $"{tool} is not installed (apt-get install {aptPackage ?? tool})";
    }
}

/// <summary>A fact that needs a Docker engine. With INDEXFORGE_REQUIRE_DOCKER=1 it never skips, so a missing engine fails.</summary>
public sealed class RequiresDockerFactAttribute : FactAttribute
{
    public const string Reason = "Docker is not available";

    public RequiresDockerFactAttribute()
    {
        if (!Docker.IsAvailable && Environment.GetEnvironmentVariable("INDEXFORGE_REQUIRE_DOCKER") != "1") Skip = Reason;
    }
}

public static class Docker
{
    /// <summary>True when a Docker engine answers on DOCKER_HOST or the default unix socket.</summary>
    public static bool IsAvailable { get; } = Probe();

    private static bool Probe()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var path = host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        if (host is not null && !host.StartsWith("unix://", StringComparison.Ordinal)) return true; // tcp: let the client find out
        if (!File.Exists(path)) return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public static class Tools
{
    /// <summary>Full path of an executable on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

public static class RepoPaths
{
    /// <summary>The repository root (the directory holding IndexForge.Resilience.sln).</summary>
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IndexForge.Resilience.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
