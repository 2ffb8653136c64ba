namespace IndexForge.Resilience.Core.Load.Scheduling;

/// <summary>When the sends of an open-model phase are due.</summary>
internal interface IArrivalSchedule
{
    /// <summary>Offset of send <paramref name="i"/> from the phase start (timestamp units); false past the phase end.</summary>
    bool TryGetOffset(long i, out long offset);
}

/// <summary>
/// The open model: every send time comes from the phase start and the schedule (never from the
/// previous send), and a send never waits for a response. A send with no free in-flight slot is
/// dropped and counted; every send's lateness goes into the scheduler-lag histogram.
/// </summary>
internal static class ArrivalDispatcher
{
    public static async ValueTask RunAsync(PhaseContext context, IArrivalSchedule schedule)
    {
        var lane = context.Lane;
        var clock = context.Clock;
        var recorder = context.Recorder;
        var random = new Random(context.Seed);
        var ct = context.Cancellation;
        var share = context.Share;
        var step = share.IsWhole ? 1 : share.Count;
        try
        {
            // A share's sends are i = Index, Index+Count…; the mix draws of the other shares are
            // made and discarded so the union of every share sends the whole run's exact mix.
            var first = share.IsWhole ? 0 : share.Index;
            for (var k = 0; k < first; k++) context.Mix.Next(random);
            for (long i = first; schedule.TryGetOffset(i, out var offset); i += step)
            {
                var intended = context.Start + offset;
                lane.PublishNext(intended);
                if (clock.Now < intended) await clock.WaitUntilAsync(intended, ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested) break;
                var window = context.WindowOf(intended);
                if (recorder.MustWaitFor(window)) await context.WaitForSlotAsync(window).ConfigureAwait(false);
                var request = context.Mix.Next(random);
                for (var k = 1; k < step; k++) context.Mix.Next(random);
                var sw = recorder.Enter(window);
                if (sw is null) continue;
                sw.Scheduled++;
                // Counted in flight before it can start, so it cannot end before it began.
                sw.Outstanding++;
                if (!context.Sender.TryStart(context.Transport!, window, intended, request))
                {
                    sw.Outstanding--;
                    sw.Dropped++;
                    sw.RecordLag(clock.Ts.Micros(clock.Now - intended));
                }
                Recording.LoadRecorder.Exit(sw);
            }
            // Sends of this phase are over, but its end may still be ahead: hold its windows until then.
            lane.PublishNext(context.End);
            if (clock.Now < context.End) await clock.WaitUntilAsync(context.End, ct).ConfigureAwait(false);
        }
        finally
        {
            lane.Finish();
        }
    }
}
