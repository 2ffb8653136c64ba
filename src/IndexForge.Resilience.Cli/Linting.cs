using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint;

namespace IndexForge.Resilience.Cli;

/// <summary>Lint at the start of every scenario run: its findings go into the report.</summary>
internal static class Linting
{
    public static Func<string, IReadOnlyList<Finding>> ForRun() =>
        meshDirectory => Directory.Exists(meshDirectory) ? Linter.Lint([meshDirectory]).ToCoreFindings() : [];
}
