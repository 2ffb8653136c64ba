using System.Security.Cryptography;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// Reads scenario files: YAML syntax, binding with every key checked, then whole-scenario
/// validation. All errors of all files are gathered and thrown together; nothing starts until
/// every file is valid.
/// </summary>
public sealed class ScenarioLoader(ScenarioCatalog catalog, string? clustersDirectory = null)
{
    public ScenarioLoader() : this(ScenarioCatalog.Default) { }

    /// <summary>Loads every file; throws <see cref="ScenarioValidationException"/> with every error of every file.</summary>
    public IReadOnlyList<Scenario> LoadAll(IEnumerable<string> paths)
    {
        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioError>();
        foreach (var path in paths)
        {
            var (scenario, fileErrors) = TryLoad(path);
            errors.AddRange(fileErrors);
            if (scenario is not null) scenarios.Add(scenario);
        }
        if (errors.Count > 0) throw new ScenarioValidationException(errors);
        return scenarios;
    }

    public Scenario Load(string path) => LoadAll([path])[0];

    public (Scenario? Scenario, IReadOnlyList<ScenarioError> Errors) TryLoad(string path)
    {
        var display = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path));
        if (display.StartsWith("..", StringComparison.Ordinal)) display = Path.GetFullPath(path);
        if (!File.Exists(path)) return (null, [new ScenarioError(new SourceLocation(display, 0, 0), "file not found")]);
        return Parse(File.ReadAllText(path), display, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses scenario text; <paramref name="file"/> is the name errors carry.</summary>
    public (Scenario? Scenario, IReadOnlyList<ScenarioError> Errors) Parse(string text, string file, string? baseDirectory = null)
    {
        var errors = new List<ScenarioError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            if (message.StartsWith('(')) message = message[(message.IndexOf(':') + 1)..].Trim();
            errors.Add(new ScenarioError(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), $"YAML syntax: {message}"));
            return (null, errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            errors.Add(new ScenarioError(new SourceLocation(file, 1, 1), "YAML syntax: the file could not be read (an unclosed '[', '{' or quote?)"));
            return (null, errors);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a duplicate key this way, without a position.
            errors.Add(new ScenarioError(new SourceLocation(file, 1, 1), $"YAML: {e.Message}"));
            return (null, errors);
        }
        if (stream.Documents.Count != 1)
        {
            errors.Add(new ScenarioError(new SourceLocation(file, 1, 1), stream.Documents.Count == 0 ? "the file is empty" : "a scenario file holds exactly one YAML document"));
            return (null, errors);
        }

        var scenario = new SpecBinder(file, catalog, errors).BindRoot<Scenario>(stream.Documents[0].RootNode);
        if (scenario is null) return (null, errors);
        scenario = WithDefaultNames(scenario);

        // Semantic checks only make sense once the structure bound cleanly.
        if (errors.Count == 0) errors.AddRange(ScenarioValidator.Validate(scenario));
        CheckMesh(scenario.Mesh, scenario, "mesh", baseDirectory, errors);
        foreach (var control in scenario.NegativeControls)
        {
            if (control.Mesh is not null) CheckMesh(control.Mesh, control, "mesh", baseDirectory, errors);
        }
        return (errors.Count == 0 ? scenario : null, errors);
    }

    /// <summary>Resolves a mesh configuration name (e.g. <c>hardened</c>, <c>controls/no-outlier-detection</c>) to a directory.</summary>
    public string? ResolveMesh(string mesh, string? baseDirectory = null)
    {
        var candidates = new List<string>();
        if (Path.IsPathRooted(mesh)) candidates.Add(mesh);
        if (clustersDirectory is not null) candidates.Add(Path.Combine(clustersDirectory, mesh));
        if (baseDirectory is not null) candidates.Add(Path.Combine(baseDirectory, mesh));
        return candidates.Select(Path.GetFullPath).FirstOrDefault(Directory.Exists);
    }

    private void CheckMesh(string mesh, SpecNode node, string key, string? baseDirectory, List<ScenarioError> errors)
    {
        if (clustersDirectory is null || ResolveMesh(mesh, baseDirectory) is not null) return;
        var known = Directory.Exists(clustersDirectory)
            ? Directory.EnumerateDirectories(clustersDirectory, "istio", SearchOption.AllDirectories)
                .Select(d => Path.GetRelativePath(clustersDirectory, Path.GetDirectoryName(d)!)).ToList()
            : [];
        errors.Add(new ScenarioError(node.LocationOf(key),
            $"mesh configuration '{mesh}' not found under {clustersDirectory}{DidYouMean.Hint(mesh, known)}; known: {string.Join(", ", known)}"));
    }

    /// <summary>Faults and assertions without a name take their type; a second one of a type gets -2, -3.</summary>
    private static Scenario WithDefaultNames(Scenario scenario)
    {
        static List<T> Name<T>(List<T> items, Func<T, string> get, Func<T, string> type, Func<T, string, T> set)
        {
            var counts = new Dictionary<string, int>();
            var result = new List<T>();
            foreach (var item in items)
            {
                if (get(item).Length > 0) { result.Add(item); continue; }
                var n = counts[type(item)] = counts.GetValueOrDefault(type(item)) + 1;
                result.Add(set(item, n == 1 ? type(item) : $"{type(item)}-{n}"));
            }
            return result;
        }
        return scenario with
        {
            Faults = Name(scenario.Faults, f => f.Name, f => f.Type, (f, n) => f with { Name = n }),
            Assertions = Name(scenario.Assertions, a => a.Name, a => a.Type, (a, n) => a with { Name = n }),
        };
    }

    /// <summary>SHA-256 of a file, hex, for the run manifest.</summary>
    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
