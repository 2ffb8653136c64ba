using System.Globalization;
using System.Net;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Kubernetes.Clusters;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// <c>--load-agents N</c>: the scenario's load sent by N agent pods (an Indexed Job in the run
/// namespace) instead of this process. The engine puts the scenario in a ConfigMap, picks a shared
/// start far enough ahead for the pods to be scheduled and announces it (the runner's fault
/// timeline starts at that same instant), launches the Job, waits for it within a bound, reads
/// every pod's log and merges the agents' windows exactly (<see cref="AgentRunMerger"/>). A failed
/// or missing agent is an error. The Job and the ConfigMap are deleted afterwards, also after a
/// failure or Ctrl-C.
/// </summary>
public sealed class DistributedLoadEngine(Func<LoadAgentSite?> site, LoadAgentOptions options, Action<string>? progress = null) : ILoadEngine
{
    public bool AnnouncesStart => true;

    public async Task<LoadRun> RunAsync(LoadPlan plan, ILoadObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var here = site() ?? throw new TargetException("--load-agents needs a Kubernetes target that is up (k3s or kubeconfig)");
        var refused = Refusals(plan).ToList();
        if (refused.Count > 0) throw new TargetException("--load-agents refused before start: " + string.Join("; ", refused));

        var time = here.Time;
        var client = here.Client;
        var ns = here.Guard.RunNamespace;
        var name = $"indexforge-load-{time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture)}";
        var configMap = $"{name}-scenario";
        var created = new List<Func<CancellationToken, Task>>();
        try
        {
            var image = await here.ImageAsync(cancellationToken).ConfigureAwait(false);
            here.Guard.EnsureOwned(ns, "create the load agents' ConfigMap");
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = configMap, Labels = new Dictionary<string, string> { [LoadAgentConstants.JobLabel] = name, [Kube.KubeLabels.Role] = "load-agent" } },
                Data = new Dictionary<string, string> { [LoadAgentConstants.ScenarioKey] = await File.ReadAllTextAsync(here.ScenarioFile, cancellationToken).ConfigureAwait(false) },
            }, ns, fieldManager: Kube.KubeLabels.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            created.Add(ct => DeleteAsync(() => client.CoreV1.DeleteNamespacedConfigMapAsync(configMap, ns, cancellationToken: ct)));

            var startAt = RoundUpToMillisecond(time.GetUtcNow() + options.ScheduleLead);
            var deadline = startAt + plan.Spec.TotalDuration + options.CompletionSlack;
            var job = RenderJob(here, plan, name, image, startAt, deadline - time.GetUtcNow());
            here.Guard.EnsureOwned(ns, "create the load-agent Job");
            Progress($"launching {options.Agents} load agent(s) (Job {ns}/{name}, image {image}); shared start {startAt:O}");
            await client.BatchV1.CreateNamespacedJobAsync(job, ns, fieldManager: Kube.KubeLabels.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            created.Add(ct => DeleteAsync(() => client.BatchV1.DeleteNamespacedJobAsync(name, ns, propagationPolicy: "Background", cancellationToken: ct)));
            plan.StartScheduled?.Invoke(startAt);

            await WaitForJobAsync(client, ns, name, startAt, deadline, time, cancellationToken).ConfigureAwait(false);
            var results = await ReadAgentsAsync(client, ns, name, cancellationToken).ConfigureAwait(false);
            LoadRun run;
            try { run = AgentRunMerger.Merge(results, options.Agents, plan.Spec); }
            catch (AgentMergeException e) { throw new TargetException(e.Message, e); }
            Deliver(run, observer);
            Progress($"merged {options.Agents} agent(s): {run.Windows.Sum(w => w.Sent)} sent, {run.Windows.Sum(w => w.Failed)} failed, {run.Windows.Sum(w => w.Dropped)} dropped");
            return run;
        }
        finally
        {
            // Deleted whatever happened: the run namespace outlives a scenario only until teardown, and a shared cluster's quota matters.
            using var cleanup = new CancellationTokenSource(options.CleanupTimeout);
            for (var i = created.Count - 1; i >= 0; i--)
            {
                try { await created[i](cleanup.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Progress($"cleanup of the load agents' objects failed ({e.Message}); the run namespace's deletion removes them");
                }
            }
        }
    }

    /// <summary>What agents cannot run, checked before anything is created.</summary>
    public static IEnumerable<string> Refusals(LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var p in LoadAgent.Problems(plan.Spec)) yield return p;
        if (plan.Credential is not null)
            yield return "the load sends a caller credential (x-indexforge-api-key from Vault, re-read per request so it follows rotations); " +
                         "agents would need a copy of the secret and would keep sending a stale one after a rotation, so this target hands none to them — run without --load-agents";
        if (!plan.Share.IsWhole) yield return $"the plan is already a share ({plan.Share}) of a load";
    }

    private V1Job RenderJob(LoadAgentSite here, LoadPlan plan, string name, string image, DateTimeOffset startAt, TimeSpan activeDeadline)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NAME"] = name,
            ["NAMESPACE"] = here.Guard.RunNamespace,
            ["AGENTS"] = options.Agents.ToString(CultureInfo.InvariantCulture),
            ["IMAGE"] = image,
            ["CALLER_LOCALITY"] = here.CallerLocality,
            ["TARGET_URL"] = here.InClusterEntry.ToString(),
            ["START_AT"] = startAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["SEED"] = plan.Seed.ToString(CultureInfo.InvariantCulture),
            ["ACTIVE_DEADLINE_SECONDS"] = ((long)Math.Ceiling(activeDeadline.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        };
        var objects = ManifestRenderer.Parse(ManifestRenderer.Render(File.ReadAllText(here.JobTemplate), values, here.JobTemplate), here.JobTemplate);
        return objects.OfType<V1Job>().SingleOrDefault() ?? throw new InvalidDataException($"{here.JobTemplate}: expected one batch/v1 Job");
    }

    private async Task WaitForJobAsync(IKubernetes client, string ns, string name, DateTimeOffset startAt, DateTimeOffset deadline, TimeProvider time, CancellationToken ct)
    {
        string? last = null;
        while (true)
        {
            var job = await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
            var s = job.Status;
            var (active, succeeded, failed) = (s?.Active ?? 0, s?.Succeeded ?? 0, s?.Failed ?? 0);
            var now = time.GetUtcNow();
            var line = $"load agents: {active} running, {succeeded}/{options.Agents} done, {failed} failed" +
                       (now < startAt ? $" (start in {(startAt - now).TotalSeconds:0} s)" : "");
            if (line != last) Progress(line);
            last = line;
            if (failed > 0 || s?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true)
                throw new TargetException($"load agents failed ({failed} of {options.Agents}): {await FailureDetailAsync(client, ns, name, ct).ConfigureAwait(false)}; no partial merge is reported");
            if (succeeded >= options.Agents) return;
            if (now > deadline)
                throw new TargetException($"load agents did not finish by {deadline:O} (start {startAt:O} + the load + {options.CompletionSlack.TotalSeconds:0} s): {succeeded}/{options.Agents} done, {active} running");
            await Task.Delay(options.PollInterval, time, ct).ConfigureAwait(false);
        }
    }

    private static async Task<string> FailureDetailAsync(IKubernetes client, string ns, string name, CancellationToken ct)
    {
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{LoadAgentConstants.JobLabel}={name}", cancellationToken: ct).ConfigureAwait(false);
            var failed = pods.Items.Where(p => p.Status?.Phase == "Failed").ToList();
            var details = new List<string>();
            foreach (var p in failed)
            {
                var log = await ReadLogAsync(client, ns, p.Metadata.Name, ct).ConfigureAwait(false);
                var tail = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
                details.Add($"agent {IndexOf(p) ?? "?"} (pod {p.Metadata.Name}): {tail}");
            }
            return details.Count > 0 ? string.Join("; ", details) : "no failed pod left to read";
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            return $"(their logs could not be read: {e.Message})";
        }
    }

    private static async Task<IReadOnlyList<AgentResult>> ReadAgentsAsync(IKubernetes client, string ns, string name, CancellationToken ct)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{LoadAgentConstants.JobLabel}={name}", cancellationToken: ct).ConfigureAwait(false);
        var results = new List<AgentResult>();
        var problems = new List<string>();
        foreach (var pod in pods.Items.Where(p => p.Status?.Phase == "Succeeded").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var label = $"{IndexOf(pod) ?? "?"} (pod {pod.Metadata.Name})";
            try { results.Add(AgentReport.Parse(await ReadLogAsync(client, ns, pod.Metadata.Name, ct).ConfigureAwait(false), label)); }
            catch (FormatException e) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new TargetException("load agents' output unreadable: " + string.Join("; ", problems) + "; no partial merge is reported");
        return results;
    }

    private static async Task<string> ReadLogAsync(IKubernetes client, string ns, string pod, CancellationToken ct)
    {
        using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: LoadAgentConstants.ContainerName, cancellationToken: ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private static string? IndexOf(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(LoadAgentConstants.CompletionIndexAnnotation, out var a) == true ? a
        : pod.Metadata.Labels?.TryGetValue(LoadAgentConstants.CompletionIndexAnnotation, out var l) == true ? l : null;

    private static async Task DeleteAsync(Func<Task> delete)
    {
        try { await delete().ConfigureAwait(false); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }

    /// <summary>Windows come back only after the Job: the live view sees them all at once, in order.</summary>
    private static void Deliver(LoadRun run, ILoadObserver? observer)
    {
        if (observer is null) return;
        try
        {
            var started = new HashSet<string>(StringComparer.Ordinal);
            foreach (var w in run.Windows)
            {
                if (w.Phase is { } phase && started.Add(phase)) observer.OnPhaseStarted(phase, run.Phases.FirstOrDefault(p => p.Name == phase)?.Start ?? w.Start);
                observer.OnWindow(w.ToWindowStats());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // As in the embedded engine, an observer that throws does not cost the run.
        }
    }

    private static DateTimeOffset RoundUpToMillisecond(DateTimeOffset t) =>
        DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds() + (t.Ticks % TimeSpan.TicksPerMillisecond == 0 ? 0 : 1));

    private void Progress(string message) => progress?.Invoke($"[load-agents] {message}");
}

/// <summary>How many agents and the timing knobs (defaults in <see cref="LoadAgentConstants"/>).</summary>
public sealed record LoadAgentOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, LoadAgentConstants.MaxAgents)]
    public required int Agents { get; init; }
    public TimeSpan ScheduleLead { get; init; } = LoadAgentConstants.ScheduleLead;
    public TimeSpan CompletionSlack { get; init; } = LoadAgentConstants.CompletionSlack;
    public TimeSpan PollInterval { get; init; } = LoadAgentConstants.PollInterval;
    public TimeSpan CleanupTimeout { get; init; } = LoadAgentConstants.CleanupTimeout;
}
