using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Events;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>The run's events and alerts: a background recorder started at Up and stopped at Down, and the run's Prometheus as alert source.</summary>
public abstract partial class KubernetesTargetBase
{
    private RunEventRecorder? _recorder;

    /// <summary>The Envoy cluster the entry point's gateway routes the sample service through.</summary>
    public static string ServiceClusterName(string ns) =>
        $"outbound|{KubeConstants.SampleServicePort}||{KubeConstants.SampleServiceName}.{ns}.svc.cluster.local";

    /// <summary>Alert assertions read the Prometheus the run installed with the mesh's rules.</summary>
    public static IAlertSource AlertSourceFor(PrometheusApiClient prometheus) => new PrometheusAlertSource(prometheus);

    /// <summary>
    /// Pod status (replica-stopped/started), the gateway's Envoy admin (ejected/unejected per replica,
    /// failover) and Prometheus' outlier counters (ejection-overflow per cluster), polled once a second.
    /// </summary>
    private async Task StartEventsAsync(IKubernetes client, IPodChannelFactory channels, string ns, (string Ns, string Pod) gateway,
        PrometheusApiClient prometheus, CancellationToken ct)
    {
        var pods = new ReplicaPodEvents(client, ns);
        var admin = Track(await channels.OpenAsync(gateway.Ns, gateway.Pod, RunEventConstants.EnvoyAdminPort, ct).ConfigureAwait(false));
        var adminHttp = new HttpClient { BaseAddress = admin.LocalAddress, Timeout = RunEventConstants.PollTimeout };
        _recorder = CreateRecorder(
        [
            pods,
            new EnvoyHostEvents(adminHttp, ServiceClusterName(ns), pods.ReplicaOf, $"ingress gateway {gateway.Pod}"),
            new OutlierCounterEvents(prometheus, ns),
        ], Time);
        // The baseline poll happens now, so a replica killed in the first second is still seen going down.
        await _recorder.PollOnceAsync(ct).ConfigureAwait(false);
        _recorder.Start();
    }

    /// <summary>The recorder over the sources; tests replace it to drive the loop by hand.</summary>
    protected virtual RunEventRecorder CreateRecorder(IReadOnlyList<IRunEventSource> sources, TimeProvider time) => new(sources, time);

    private async Task StopEventsAsync()
    {
        if (Interlocked.Exchange(ref _recorder, null) is { } recorder) await recorder.DisposeAsync().ConfigureAwait(false);
    }

    private IReadOnlyList<TargetEvent> RecordedEventsSince(DateTimeOffset since) => _recorder?.Since(since) ?? [];
}
