using IndexForge.Resilience.Lint.Model;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Parsing;

/// <summary>Finds the files under the given paths, groups them into configuration sets and parses each by kind.</summary>
public static class ConfigLoader
{
    private static readonly string[] YamlExtensions = [".yaml", ".yml"];
    private static readonly string[] GatewayKeys =
        ["plugins", "ssl_protocols", "ssl_ciphers", "ssl_cipher_suite", "http2", "proxy_listen", "_format_version", "upstreams"];

    public static IReadOnlyList<ConfigSet> Load(IEnumerable<string> paths)
    {
        var sets = new Dictionary<string, ConfigSet>(StringComparer.Ordinal);
        foreach (var file in EnumerateFiles(paths))
        {
            var root = SetRoot(file);
            if (!sets.TryGetValue(root, out var set)) sets[root] = set = new ConfigSet(root);
            LoadFile(set, file);
        }
        return sets.Values.OrderBy(s => s.Root, StringComparer.Ordinal).ToList();
    }

    /// <summary>Files the linter knows how to read, in a stable order; a missing path is a parse error.</summary>
    public static IEnumerable<string> EnumerateFiles(IEnumerable<string> paths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                             .Where(f => !IsIgnored(path, f) && IsKnownExtension(f))
                             .OrderBy(f => f, StringComparer.Ordinal))
                    if (seen.Add(Path.GetFullPath(file))) yield return file;
            }
            else if (seen.Add(Path.GetFullPath(path)))
            {
                yield return path;
            }
        }
    }

    public static bool IsKnownExtension(string file)
    {
        var ext = Path.GetExtension(file).ToLowerInvariant();
        return YamlExtensions.Contains(ext) || ext is ".hcl" or ".py";
    }

    private static bool IsIgnored(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        return relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.') && part.Length > 1 || part is "bin" or "obj");
    }

    /// <summary>The configuration root of a file: the directory above its layout folder (istio/, vault/, ...).</summary>
    public static string SetRoot(string file)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var probe = new DirectoryInfo(dir);
        for (var depth = 0; depth < 3 && probe?.Parent is not null; depth++, probe = probe.Parent)
            if (LintConstants.LayoutDirectories.Contains(probe.Name)) return probe.Parent.FullName;
        return dir;
    }

    private static void LoadFile(ConfigSet set, string file)
    {
        set.Files.Add(file);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            set.Issues.Add(new LoadIssue(LoadIssueKind.ParseError, file, 0, "cannot read the file: " + e.Message));
            return;
        }

        var ext = Path.GetExtension(file).ToLowerInvariant();
        try
        {
            if (ext == ".hcl") set.VaultConfigs.Add(new HclFile(file, HclParser.Parse(text)));
            else if (ext == ".py") set.PythonFiles.Add(new PythonFile(file, text.Split('\n').Select(l => l.TrimEnd('\r')).ToList()));
            else if (YamlExtensions.Contains(ext)) LoadYaml(set, file, text);
            else set.Issues.Add(new LoadIssue(LoadIssueKind.Unrecognized, file, 0, $"no parser for '{ext}' files"));
        }
        catch (ParseException e)
        {
            set.Issues.Add(new LoadIssue(LoadIssueKind.ParseError, file, Math.Max(1, e.Line), e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A parser bug must not take the whole lint down: report the file as unreadable.
            set.Issues.Add(new LoadIssue(LoadIssueKind.ParseError, file, 1, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    private static void LoadYaml(ConfigSet set, string file, string text)
    {
        var documents = YamlLoader.Load(text);
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is not YamlMappingNode map)
            {
                set.Issues.Add(new LoadIssue(LoadIssueKind.Unrecognized, file, documents[i].Line(), "a YAML document that is not a mapping"));
                continue;
            }
            Classify(set, file, i, map);
        }
    }

    private static void Classify(ConfigSet set, string file, int index, YamlMappingNode map)
    {
        if (map.Has("apiVersion") && map.Has("kind")) { set.Resources.Add(new KubeResource(file, index, map)); return; }
        if (map.Has("groups")) { set.RuleFiles.Add(new RuleFile(file, map)); return; }
        if (map.Has("rule_files") || map.Has("tests")) { set.PromtoolTests.Add(new PromtoolTestFile(file, map)); return; }
        if (map.Has("services")) { set.ComposeFiles.Add(new ComposeFile(file, map)); return; }
        if (map.Has("dashboard") || map.Has("panels")) { set.Dashboards.Add(new DashboardFile(file, map)); return; }
        if (GatewayKeys.Any(k => map.Has(k))) { set.GatewayFiles.Add(new GatewayFile(file, map)); return; }

        var kind = FragmentKindOf(map);
        set.Fragments.Add(new Fragment(file, index, map, kind));
        set.Issues.Add(new LoadIssue(LoadIssueKind.Fragment, file, map.Line(), kind switch
        {
            FragmentKind.TrafficPolicy => "a trafficPolicy fragment (no apiVersion, kind, metadata or host)",
            FragmentKind.SecurityContext => "a securityContext fragment (no pod or container around it)",
            FragmentKind.Resources => "a resources fragment (no container or proxy around it)",
            _ => "a YAML fragment without apiVersion and kind",
        }));
    }

    private static FragmentKind FragmentKindOf(YamlMappingNode map)
    {
        if (map.Has("spec", "trafficPolicy") || map.Has("trafficPolicy")) return FragmentKind.TrafficPolicy;
        if (map.Has("securityContext") || map.Has("runAsNonRoot") || map.Has("readOnlyRootFilesystem")) return FragmentKind.SecurityContext;
        if (map.Has("resources") || (map.Has("requests") && map.Has("limits"))) return FragmentKind.Resources;
        return FragmentKind.Unknown;
    }
}
