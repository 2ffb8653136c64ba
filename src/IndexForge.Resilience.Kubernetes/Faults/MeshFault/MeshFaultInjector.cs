using System.Globalization;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.MeshFault;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Faults.MeshFault;

/// <summary>
/// Puts an Istio fault (abort and/or delay) on every HTTP route of the VirtualService for the
/// sample service and puts the original back after. Without such a VirtualService it creates one
/// and deletes it after. Istio allows one VirtualService per host, hence patching rather than adding.
/// </summary>
public sealed class MeshFaultInjector(KubeCluster cluster) : KubeInjector<MeshFaultOptions>(cluster)
{
    public const string CreatedName = "indexforge-mesh-fault";

    public override string Type => FaultTypes.MeshFault;

    protected override async Task InjectCoreAsync(MeshFaultOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        if (options.AbortStatus is null && options.Delay is null)
            throw new FaultInjectionException("mesh-fault needs abortStatus or delay");
        var ns = Cluster.Namespace;
        var kind = ResourceKinds.VirtualService;
        var resources = Cluster.Resources;
        var fault = FaultJson(options);
        var existing = (await resources.ListAsync(kind, ns, null, ct).ConfigureAwait(false)).FirstOrDefault(ServesSampleService);
        Cluster.Guard.EnsureOwned(ns, "change a VirtualService");
        if (existing is null)
        {
            var host = KubeConstants.SampleServiceName;
            var created = new JsonObject
            {
                ["apiVersion"] = kind.ApiVersion,
                ["kind"] = kind.Kind,
                ["metadata"] = new JsonObject { ["name"] = CreatedName, ["namespace"] = ns },
                ["spec"] = new JsonObject
                {
                    ["hosts"] = new JsonArray(host),
                    ["http"] = new JsonArray(new JsonObject
                    {
                        ["fault"] = fault,
                        ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = host } }),
                    }),
                },
            };
            await resources.CreateAsync(kind, ns, created, ct).ConfigureAwait(false);
            undo.Add($"delete VirtualService {CreatedName}", c => resources.DeleteAsync(kind, ns, CreatedName, c));
            details["virtualService"] = $"{CreatedName} (created)";
            return;
        }
        var name = existing["metadata"]!["name"]!.GetValue<string>();
        var original = ResourceClient.Restorable(existing);
        var patched = (JsonObject)existing.DeepClone();
        var routes = patched["spec"]?["http"] as JsonArray;
        if (routes is null || routes.Count == 0)
            throw new FaultInjectionException($"VirtualService {name} has no http route to put a fault on");
        foreach (var route in routes.OfType<JsonObject>()) route["fault"] = fault.DeepClone();
        await resources.ReplaceAsync(kind, ns, name, patched, ct).ConfigureAwait(false);
        undo.Add($"restore VirtualService {name}", async c =>
        {
            // Custom resources need the current resourceVersion on update; everything else is the snapshot.
            var current = await resources.GetAsync(kind, ns, name, c).ConfigureAwait(false);
            var restore = (JsonObject)original.DeepClone();
            if (current is null)
            {
                await resources.CreateAsync(kind, ns, restore, c).ConfigureAwait(false);
                return;
            }
            restore["metadata"]!["resourceVersion"] = current["metadata"]?["resourceVersion"]?.DeepClone();
            await resources.ReplaceAsync(kind, ns, name, restore, c).ConfigureAwait(false);
        });
        details["virtualService"] = $"{name} (patched {routes.Count} route(s))";
    }

    private static bool ServesSampleService(JsonObject vs) =>
        vs["spec"]?["hosts"] is JsonArray hosts && hosts.Any(h =>
            h?.GetValue<string>() is { } s && (s == KubeConstants.SampleServiceName || s.StartsWith(KubeConstants.SampleServiceName + ".", StringComparison.Ordinal)));

    /// <summary>Istio's HTTPFaultInjection; durations in protobuf JSON form (seconds with an "s").</summary>
    public static JsonObject FaultJson(MeshFaultOptions o)
    {
        var fault = new JsonObject();
        if (o.AbortStatus is { } status)
            fault["abort"] = new JsonObject { ["httpStatus"] = status, ["percentage"] = new JsonObject { ["value"] = o.AbortPercent } };
        if (o.Delay is { } delay)
            fault["delay"] = new JsonObject
            {
                ["fixedDelay"] = delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
                ["percentage"] = new JsonObject { ["value"] = o.DelayPercent },
            };
        return fault;
    }
}
