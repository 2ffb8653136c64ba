using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Scheduling;
using IndexForge.Resilience.Core.Load.Sending;

namespace IndexForge.Resilience.Core.Load.ConstantConcurrency;

/// <summary>
/// Closed model: <see cref="ConstantConcurrencyOptions.Concurrency"/> users, each sending as soon
/// as its previous response arrived, until the phase end. Each send is its own intended time, so
/// there is no schedule to fall behind and no scheduler lag; the in-flight limit does not apply.
/// </summary>
internal sealed class ConstantConcurrencyExecutor(ConstantConcurrencyOptions options) : IPhaseExecutor
{
    public async ValueTask RunAsync(PhaseContext context)
    {
        context.Lane.FollowClock();
        var users = new Task[options.Concurrency];
        for (var u = 0; u < users.Length; u++)
        {
            var user = new User(context, unchecked(context.Seed + 7919 * (u + 1)));
            users[u] = Task.Run(user.RunAsync);
        }
        var all = Task.WhenAll(users);
        context.Background.Add(all.ContinueWith(_ => context.Lane.Finish(), TaskScheduler.Default));
        if (context.Clock.Now < context.End) await context.Clock.WaitUntilAsync(context.End, context.Cancellation).ConfigureAwait(false);
    }

    private sealed class User(PhaseContext context, int seed) : RequestOwner(context.Clock.Time)
    {
        public async Task RunAsync()
        {
            context.Requests.Track(this);
            var random = new Random(seed);
            var clock = context.Clock;
            var recorder = context.Recorder;
            var lane = context.Lane;
            while (!context.Cancellation.IsCancellationRequested)
            {
                lane.EnterSend();
                var now = clock.Now;
                if (now >= context.End)
                {
                    lane.ExitSend();
                    break;
                }
                var window = context.WindowOf(now);
                if (recorder.MustWaitFor(window))
                {
                    lane.ExitSend();
                    await clock.DelayAsync(TimeSpan.FromMilliseconds(1), context.Cancellation).ConfigureAwait(false);
                    continue;
                }
                recorder.BeginRequest(window);
                var sw = recorder.Enter(window);
                if (sw is not null)
                {
                    sw.Scheduled++;
                    LoadRecorder.Exit(sw);
                }
                lane.ExitSend();
                await context.Requests.ExecuteAsync(this, context.Transport!, window, now, context.Mix.Next(random), recordLag: false).ConfigureAwait(false);
            }
        }
    }
}
