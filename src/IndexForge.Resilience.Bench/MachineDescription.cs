using System.Runtime.InteropServices;

namespace IndexForge.Resilience.Bench;

/// <summary>"2 × AMD EPYC, Debian GNU/Linux 12 (bookworm), .NET 10.0.0" for the bench header and docs.</summary>
public static class MachineDescription
{
    public static string Current() =>
        $"{Environment.ProcessorCount} × {CpuModel()}, {OsName()}, .NET {Environment.Version}";

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            // Not Linux, or /proc hidden: fall back to the architecture.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null) return line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
            // No os-release: the runtime's description is still useful.
        }
        return RuntimeInformation.OSDescription;
    }
}
