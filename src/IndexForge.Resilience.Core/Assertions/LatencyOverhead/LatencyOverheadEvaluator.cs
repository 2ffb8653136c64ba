using HdrHistogram;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.LatencyOverhead;

/// <summary>
/// The mesh phase's percentile minus the direct baseline phase's same percentile, each from the
/// exact merge of its windows' histograms; both distributions go to the report.
/// </summary>
internal sealed class LatencyOverheadEvaluator : IAssertionEvaluator
{
    private static readonly double[] Plotted = [50, 75, 90, 95, 99, 99.9];

    public string Type => AssertionTypes.LatencyOverhead;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (LatencyOverheadOptions)options;
        var p = o.Percentile;
        var pName = $"p({Evidence.Num(p)})";
        var budget = o.Budget.TotalMilliseconds;
        var expected = $"{pName} through {o.Mesh} - {pName} of {o.Baseline} <= {Evidence.Ms(budget)}";
        var baseline = Merge(context, o.Baseline);
        var mesh = Merge(context, o.Mesh);
        var shell = Evidence.Result(o, Type, Verdict.Fail, expected, "") with { Window = $"phases {o.Baseline}, {o.Mesh}" };
        if (baseline.TotalCount == 0 || mesh.TotalCount == 0)
        {
            var empty = baseline.TotalCount == 0 ? o.Baseline : o.Mesh;
            return shell with
            {
                Observed = $"{baseline.TotalCount} baseline and {mesh.TotalCount} mesh requests",
                Message = $"phase '{empty}' completed no request: nothing was measured, so nothing is certified",
            };
        }
        var b = baseline.GetValueAtPercentile(p) / 1000.0;
        var m = mesh.GetValueAtPercentile(p) / 1000.0;
        var overhead = m - b;
        var verdict = overhead <= budget ? Verdict.Pass : Verdict.Fail;
        var message = overhead <= budget ? null : $"the mesh adds {Evidence.Ms(overhead)} at {pName}, over the {Evidence.Ms(budget)} budget";
        var fromSend = 0.0;
        if (Evidence.GeneratorBound(context, verdict, () =>
            {
                var (meshSend, baselineSend) = (Merge(context, o.Mesh, actualSend: true), Merge(context, o.Baseline, actualSend: true));
                fromSend = (meshSend.GetValueAtPercentile(p) - baselineSend.GetValueAtPercentile(p)) / 1000.0;
                return meshSend.TotalCount > 0 && baselineSend.TotalCount > 0 && fromSend <= budget;
            }))
        {
            verdict = Verdict.Error;
            message = Evidence.GeneratorBoundMessage(context,
                $"the overhead measured includes the generator's own delay; from the actual sends it is {Evidence.Ms(fromSend)}, within the budget, so this run certifies nothing either way");
        }
        return shell with
        {
            Verdict = verdict,
            Observed = $"overhead {Evidence.Ms(overhead)} ({pName} {Evidence.Ms(m)} through the mesh, {Evidence.Ms(b)} direct; {mesh.TotalCount} and {baseline.TotalCount} requests)",
            Message = message,
            Figures = new Dictionary<string, double>
            {
                ["overheadMs"] = overhead,
                ["baselineMs"] = b,
                ["meshMs"] = m,
                ["baselineRequests"] = baseline.TotalCount,
                ["meshRequests"] = mesh.TotalCount,
            },
            Distributions = [Distribution($"{o.Baseline} (direct)", baseline), Distribution($"{o.Mesh} (mesh)", mesh)],
        };
    }

    private static HistogramBase Merge(AssertionContext context, string phase, bool actualSend = false)
    {
        if (context.Load.Phases.All(s => s.Name != phase)) throw new InvalidOperationException($"phase '{phase}' did not run");
        return LoadRun.Merge(context.Load.Windows.Where(w => w.Phase == phase), actualSend ? w => w.ServiceLatency : w => w.Latency);
    }

    private static LatencyDistribution Distribution(string name, HistogramBase h) =>
        new(name, Plotted.Select(q => new PercentilePoint(q, h.GetValueAtPercentile(q) / 1000.0)).ToList());
}
