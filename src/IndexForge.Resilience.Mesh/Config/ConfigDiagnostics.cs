namespace IndexForge.Resilience.Mesh.Config;

/// <summary>A position in an Istio YAML file, 1-based.</summary>
public readonly record struct ConfigLocation(string File, int Line, int Column)
{
    public static readonly ConfigLocation None = new("", 0, 0);
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>A problem (error) or a notice (warning) about the mesh configuration, with where it comes from.</summary>
public sealed record ConfigDiagnostic(ConfigLocation At, string Message)
{
    /// <summary>"file:line: message", the form warnings take in reports.</summary>
    public string ToWarning() => At.Line > 0 ? $"{At.File}:{At.Line}: {Message}" : $"{At.File}: {Message}";

    /// <summary>"file:line:column: message", the form errors take.</summary>
    public override string ToString() => At.Line > 0 ? $"{At}: {Message}" : $"{At.File}: {Message}";
}

/// <summary>Thrown when the Istio YAML is invalid; carries every error found, not only the first.</summary>
public sealed class MeshConfigException(IReadOnlyList<ConfigDiagnostic> errors)
    : Exception("invalid mesh configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ConfigDiagnostic> Errors { get; } = errors;
}

/// <summary>Collects errors and warnings while reading; files are named relative to the directory read.</summary>
internal sealed class DiagnosticSink
{
    public List<ConfigDiagnostic> Errors { get; } = [];
    public List<ConfigDiagnostic> Warnings { get; } = [];
    public void Error(ConfigLocation at, string message) => Errors.Add(new(at, message));
    public void Warn(ConfigLocation at, string message) => Warnings.Add(new(at, message));
}
