using System.Globalization;
using System.Text;

namespace IndexForge.Resilience.Vault.Server.Metrics;

/// <summary>A lock-free count and sum (milliseconds, as Vault's go-metrics timers report).</summary>
public sealed class TimerSummary
{
    private long _count;
    private long _sumMicroseconds;

    public long Count => Interlocked.Read(ref _count);
    public double SumMilliseconds => Interlocked.Read(ref _sumMicroseconds) / 1000.0;

    public void Record(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicroseconds, (long)(elapsed.TotalMilliseconds * 1000));
    }
}

/// <summary>
/// The server's telemetry under Vault's own Prometheus names (go-metrics names with dots turned into
/// underscores): <c>vault_core_unsealed</c>, <c>vault_core_active</c>, <c>vault_core_handle_request</c>,
/// <c>vault_core_check_token</c>, <c>vault_barrier_get</c>/<c>put</c>/<c>delete</c>/<c>list</c>.
/// Vault's <c>vault_secret_kv_count</c> is left out: promtool rejects a gauge named <c>_count</c>.
/// </summary>
public sealed class VaultMetrics
{
    public TimerSummary HandleRequest { get; } = new();
    public TimerSummary CheckToken { get; } = new();
    public TimerSummary BarrierGet { get; } = new();
    public TimerSummary BarrierPut { get; } = new();
    public TimerSummary BarrierDelete { get; } = new();
    public TimerSummary BarrierList { get; } = new();

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    public string Render(string clusterName, bool unsealed, bool active)
    {
        var text = new StringBuilder();
        var cluster = $"cluster=\"{Escape(clusterName)}\"";
        Gauge(text, "vault_core_unsealed", "Whether Vault is unsealed (1) or sealed (0).", cluster, unsealed ? 1 : 0);
        Gauge(text, "vault_core_active", "Whether this node is the active node (1) or a standby (0).", cluster, active ? 1 : 0);
        Summary(text, "vault_core_handle_request", "Time taken to handle requests (ms).", HandleRequest);
        Summary(text, "vault_core_check_token", "Time taken to check a token (ms).", CheckToken);
        Summary(text, "vault_barrier_get", "Time taken to read an entry through the barrier (ms).", BarrierGet);
        Summary(text, "vault_barrier_put", "Time taken to write an entry through the barrier (ms).", BarrierPut);
        Summary(text, "vault_barrier_delete", "Time taken to delete an entry through the barrier (ms).", BarrierDelete);
        Summary(text, "vault_barrier_list", "Time taken to list entries through the barrier (ms).", BarrierList);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, string labels, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Summary(StringBuilder text, string name, string help, TimerSummary summary)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" summary\n");
        text.Append(name).Append("_sum ").Append(summary.SumMilliseconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(summary.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
