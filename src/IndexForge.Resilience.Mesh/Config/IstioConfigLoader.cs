using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Mesh.Config;

/// <summary>
/// Loads the Istio resources of a directory (or of given files/texts): any number of documents per
/// file, any number of each kind. Invalid content throws <see cref="MeshConfigException"/> with every
/// error at file:line:column; what is valid but not emulated comes back as warnings.
/// </summary>
public static class IstioConfigLoader
{
    public static MeshConfig LoadDirectory(string directory, MeshConfigLoadOptions? options = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"mesh configuration directory {directory} does not exist");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return LoadFiles(files, options);
    }

    public static MeshConfig LoadFiles(IEnumerable<string> files, MeshConfigLoadOptions? options = null)
    {
        options ??= new MeshConfigLoadOptions();
        return Load(files.Select(f => (Display(f, options), File.ReadAllText(f))), options);
    }

    /// <summary>Loads YAML texts given with the names diagnostics should use.</summary>
    public static MeshConfig Load(IEnumerable<(string Name, string Yaml)> documents, MeshConfigLoadOptions? options = null)
    {
        options ??= new MeshConfigLoadOptions();
        var sink = new DiagnosticSink();
        var resources = new List<IstioResource>();
        var files = new List<string>();
        foreach (var (name, yaml) in documents)
        {
            files.Add(name);
            ReadFile(name, yaml, options, sink, resources);
        }
        if (sink.Errors.Count > 0) throw new MeshConfigException(sink.Errors);
        return new MeshConfig(resources, sink.Warnings, files, options);
    }

    private static void ReadFile(string file, string yaml, MeshConfigLoadOptions options, DiagnosticSink sink, List<IstioResource> resources)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            sink.Error(new ConfigLocation(file, (int)e.Start.Line, (int)e.Start.Column), $"invalid YAML: {e.InnerException?.Message ?? e.Message}");
            return;
        }
        var index = 0;
        foreach (var doc in stream.Documents)
        {
            index++;
            var root = doc.RootNode;
            if (root is YamlScalarNode { Value: null or "" or "~" or "null" }) continue; // an empty document between '---'
            var at = new ConfigLocation(file, (int)root.Start.Line, (int)root.Start.Column);
            if (root is not YamlMappingNode map)
            {
                sink.Error(at, "a document must be a mapping (apiVersion, kind, metadata, spec)");
                continue;
            }
            var reader = new YamlReader(map, file, "", sink);
            ReadDocument(reader, at, index, options, sink, resources);
        }
    }

    private static void ReadDocument(YamlReader doc, ConfigLocation at, int index, MeshConfigLoadOptions options, DiagnosticSink sink, List<IstioResource> resources)
    {
        var apiVersion = doc.String("apiVersion");
        var kind = doc.String("kind");
        if (kind is null || apiVersion is null)
        {
            // The plan carries fragments such as a bare "spec: trafficPolicy: ..."; kubectl would refuse them.
            sink.Warn(at, $"document {index} has no {(kind is null ? "kind" : "apiVersion")}: a fragment kubectl would refuse; ignored");
            return;
        }
        var expected = kind switch
        {
            IstioKinds.DestinationRule or IstioKinds.VirtualService => (IstioKinds.NetworkingGroup, IstioKinds.NetworkingVersions),
            IstioKinds.PeerAuthentication or IstioKinds.AuthorizationPolicy => (IstioKinds.SecurityGroup, IstioKinds.SecurityVersions),
            _ => ((string, IReadOnlyList<string>)?)null,
        };
        if (expected is not { } e)
        {
            var what = IstioKinds.NotEmulated.Contains(kind) || apiVersion.Contains("istio.io", StringComparison.Ordinal) ? "is not emulated" : "is not an Istio resource the embedded mesh reads";
            sink.Warn(at, $"{kind} ({apiVersion}) {what}; ignored");
            return;
        }
        var slash = apiVersion.IndexOf('/');
        if (slash < 0 || apiVersion[..slash] != e.Item1 || !e.Item2.Contains(apiVersion[(slash + 1)..]))
        {
            doc.Error("apiVersion", $"no {kind} in {apiVersion}; use {e.Item1}/{string.Join(" | ", e.Item2)}");
            return;
        }
        string? name = null, ns = null;
        if (doc.Map("metadata") is { } meta)
        {
            name = meta.String("name");
            ns = meta.String("namespace");
            foreach (var k in meta.KeyNames()) meta.Ignore(k);
        }
        if (string.IsNullOrEmpty(name))
        {
            sink.Warn(at, $"{kind} has no metadata.name (kubectl would refuse it); read as {at.File}#{index}");
            name = $"{at.File}#{index}";
        }
        ns = string.IsNullOrEmpty(ns) ? options.DefaultNamespace : ns;
        doc.Ignore("status");
        var spec = doc.Root("spec");
        doc.Done();
        if (spec is null)
        {
            doc.Error(at, $"{kind} {name} has no spec");
            return;
        }
        var order = resources.Count;
        switch (kind)
        {
            case IstioKinds.DestinationRule:
                var dr = DestinationRuleParser.Read(spec);
                resources.Add(new DestinationRule
                {
                    Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns, Location = at, Order = order,
                    Host = dr.Host, HostLocation = dr.HostAt, TrafficPolicy = dr.Policy, ExportTo = dr.ExportTo, WorkloadSelector = dr.Selector,
                });
                break;
            case IstioKinds.VirtualService:
                var vs = VirtualServiceParser.Read(spec);
                resources.Add(new VirtualService
                {
                    Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns, Location = at, Order = order,
                    Hosts = vs.Hosts, Gateways = vs.Gateways, Http = vs.Http, ExportTo = vs.ExportTo,
                });
                break;
            case IstioKinds.PeerAuthentication:
                var pa = SecurityParser.ReadPeerAuthentication(spec);
                resources.Add(new PeerAuthentication
                {
                    Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns, Location = at, Order = order, Selector = pa.Selector, Mode = pa.Mode,
                });
                break;
            default:
                var ap = SecurityParser.ReadAuthorizationPolicy(spec);
                resources.Add(new AuthorizationPolicy
                {
                    Kind = kind, ApiVersion = apiVersion, Name = name, Namespace = ns, Location = at, Order = order,
                    Selector = ap.Selector, Action = ap.Action, Rules = ap.Rules,
                });
                break;
        }
    }

    private static string Display(string path, MeshConfigLoadOptions options)
    {
        if (options.DisplayRoot is not { } root) return path;
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }
}

/// <summary>How Istio YAML is read.</summary>
public sealed record MeshConfigLoadOptions
{
    /// <summary>Namespace of resources without metadata.namespace (kubectl apply -n).</summary>
    public string DefaultNamespace { get; init; } = MeshConstants.DefaultNamespace;
    /// <summary>Diagnostics name files relative to this directory (e.g. the repository root) when set.</summary>
    public string? DisplayRoot { get; init; }
    /// <summary>
    /// The Istio version whose behaviour is emulated where versions differ: istiod stopped honouring the
    /// deprecated outlierDetection.consecutiveErrors in 1.7 (istio/istio#24087).
    /// </summary>
    public System.Version IstioVersion { get; init; } = MeshConstants.DefaultIstioVersion;
    /// <summary>Istio's root namespace: PeerAuthentication there is mesh-wide.</summary>
    public string RootNamespace { get; init; } = MeshConstants.RootNamespace;
}
