using System.Globalization;
using System.Net;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Reaping;

/// <summary>
/// <c>./run.sh reap</c>: deletes the run namespaces a crashed run left behind once their expiry
/// passed. Only namespaces the harness labelled (managed-by + run-id) are considered; one without
/// a readable expiry is kept and reported, never guessed at.
/// </summary>
public sealed class Reaper(IKubernetes client, TimeProvider time)
{
    public async Task<ReapReport> ReapAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await client.CoreV1.ListNamespaceAsync(labelSelector: KubeLabels.RunNamespaceSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var entries = new List<ReapEntry>();
        foreach (var ns in list.Items.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var labels = ns.Metadata.Labels ?? new Dictionary<string, string>();
            var runId = labels.TryGetValue(KubeLabels.RunId, out var r) ? r : "";
            var expires = labels.TryGetValue(KubeLabels.ExpiresAt, out var e) && long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var secs)
                ? DateTimeOffset.FromUnixTimeSeconds(secs) : (DateTimeOffset?)null;
            ReapAction action;
            if (ns.Status?.Phase == "Terminating") action = ReapAction.AlreadyTerminating;
            else if (expires is null) action = ReapAction.KeptNoExpiry;
            else if (expires > now) action = ReapAction.KeptNotExpired;
            else if (dryRun) action = ReapAction.WouldDelete;
            else
            {
                try
                {
                    await client.CoreV1.DeleteNamespaceAsync(ns.Metadata.Name, new V1DeleteOptions { PropagationPolicy = "Background" },
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    action = ReapAction.Deleted;
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    action = ReapAction.AlreadyTerminating;
                }
            }
            entries.Add(new ReapEntry(ns.Metadata.Name, runId, expires, action));
        }
        return new ReapReport(now, dryRun, entries);
    }
}

public enum ReapAction { Deleted, WouldDelete, KeptNotExpired, KeptNoExpiry, AlreadyTerminating }

public sealed record ReapEntry(string Namespace, string RunId, DateTimeOffset? ExpiresAt, ReapAction Action);

public sealed record ReapReport(DateTimeOffset At, bool DryRun, IReadOnlyList<ReapEntry> Entries)
{
    /// <summary>One line per namespace, for the CLI to print.</summary>
    public IEnumerable<string> Lines() => Entries.Select(e =>
        $"{e.Action switch
        {
            ReapAction.Deleted => "deleted",
            ReapAction.WouldDelete => "would delete",
            ReapAction.KeptNotExpired => "kept (not expired)",
            ReapAction.KeptNoExpiry => "kept (no expiry label)",
            _ => "already terminating",
        }}: {e.Namespace} run {e.RunId} expires {e.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "?"}");
}
