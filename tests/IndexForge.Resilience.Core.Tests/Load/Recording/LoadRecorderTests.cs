using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Recording;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load.Recording;

public sealed class LoadRecorderTests
{
    private static LoadRecorder Recorder(int windows, out Lane lane)
    {
        var ts = new Timestamps(TimeProvider.System);
        var phase = new ConstantArrivalRateOptions { Name = "p", Rate = 1, Duration = TimeSpan.FromSeconds(windows) };
        var grid = new WindowGrid([(phase, TimeSpan.Zero)], TimeSpan.FromSeconds(1), ts);
        var recorder = new LoadRecorder(grid, ts, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)) { LoadStart = 0 };
        lane = recorder.AddLane(0);
        return recorder;
    }

    private static long Second(double s) => (long)(s * TimeProvider.System.TimestampFrequency);

    [Fact]
    public void CloseReady_ManyThreadsRecordOneWindow_MergesEveryThreadsShardExactly()
    {
        var recorder = Recorder(2, out var lane);
        const int threads = 8, perThread = 5_000;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var begin = recorder.Enter(0)!;
                begin.Scheduled++;
                begin.Outstanding++;
                LoadRecorder.Exit(begin);
                var sw = recorder.Enter(0)!;
                sw.Sent++;
                sw.RecordOutcome(new SendOutcome(i % 10 == 0 ? 503 : 200, i % 10 == 0 ? ErrorClass.Http5xx : ErrorClass.None, $"replica-{t % 2}", "region-1"),
                    latencyMicros: 100 + i % 500, serviceMicros: 50);
                sw.Outstanding--;
                LoadRecorder.Exit(sw);
            }
        });
        lane.Finish();

        var closed = recorder.CloseReady(Second(2.5));

        Assert.NotNull(closed);
        var w = closed[0];
        Assert.Equal(threads * perThread, w.Sent);
        Assert.Equal(threads * perThread, w.Latency.TotalCount);
        Assert.Equal(threads * perThread / 10, w.Errors[ErrorClass.Http5xx]);
        Assert.Equal(threads * perThread / 10, w.StatusCodes[503]);
        Assert.Equal(threads * perThread / 2, w.ByReplica["replica-0"]);
        Assert.Equal(threads * perThread, w.ByRegion["region-1"]);
        Assert.Equal(599, w.Latency.GetValueAtPercentile(100));
        Assert.Equal(0, recorder.Outstanding(0));
        Assert.Equal(0, recorder.Late);
    }

    [Fact]
    public void CloseReady_RequestStillInFlight_WaitsForItThenForcesAfterTimeoutAndGrace()
    {
        var recorder = Recorder(1, out var lane);
        var sw = recorder.Enter(0)!;
        sw.Outstanding++;
        LoadRecorder.Exit(sw);
        lane.Finish();

        Assert.Null(recorder.CloseReady(Second(1.5)));
        Assert.Null(recorder.CloseReady(Second(6.9)));
        var forced = recorder.CloseReady(Second(7.01));

        Assert.Single(forced!);
        // The straggler finishing after the forced close is counted as late, not lost silently.
        Assert.Null(recorder.Enter(0));
        Assert.Equal(1, recorder.Late);
    }

    [Fact]
    public void CloseReady_LaneNotPastTheWindow_KeepsItOpen()
    {
        var recorder = Recorder(2, out var lane);
        lane.PublishNext(Second(0.9));

        Assert.Null(recorder.CloseReady(Second(1.5)));
        lane.PublishNext(Second(1.0));
        Assert.Single(recorder.CloseReady(Second(1.5))!);
    }

    [Fact]
    public void Enter_LabelsBeyondTheCap_FoldIntoOther()
    {
        var recorder = Recorder(1, out var lane);
        var sw = recorder.Enter(0)!;
        for (var i = 0; i < LoadConstants.MaxDistinctLabels + 10; i++) sw.RecordOutcome(new SendOutcome(200, ErrorClass.None, $"r{i}"), 1, 1);
        LoadRecorder.Exit(sw);
        lane.Finish();

        var w = recorder.CloseReady(Second(1.1))![0];

        Assert.Equal(LoadConstants.MaxDistinctLabels + 1, w.ByReplica.Count);
        Assert.Equal(10, w.ByReplica[LoadConstants.OtherLabel]);
    }
}
