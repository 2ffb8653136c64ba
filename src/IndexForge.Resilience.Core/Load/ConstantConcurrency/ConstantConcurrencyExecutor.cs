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
        // A share runs users u with u mod Count == Index, each seeded as it would be in the whole run.
        var users = new List<Task>(options.Concurrency);
        for (var u = 0; u < options.Concurrency; u++)
        {
            if (!context.Share.Owns(u)) continue;
            var user = new User(context, unchecked(context.Seed + 7919 * (u + 1)));
            users.Add(Task.Run(user.RunAsync));
        }
        var all = Task.WhenAll(users);
        context.Background.Add(all.ContinueWith(_ => context.Lane.Finish(), TaskScheduler.Default));
        if (context.Clock.Now < context.End) await context.Clock.WaitUntilAsync(context.End, context.Cancellation).ConfigureAwait(false);
    }

    private sealed class User(PhaseContext context, int seed) : RequestOwner
    {
        public async Task RunAsync()
        {
            var requests = context.Requests;
            requests.Track(this);
            var random = new Random(seed);
            var clock = context.Clock;
            var recorder = context.Recorder;
            var transport = context.Transport!;
            while (!context.Cancellation.IsCancellationRequested)
            {
                var window = context.WindowOf(clock.Now);
                if (recorder.MustWaitFor(window))
                {
                    await clock.DelayAsync(TimeSpan.FromMilliseconds(1), context.Cancellation).ConfigureAwait(false);
                    continue;
                }
                var sw = recorder.Enter(window);
                if (sw is null) continue;
                // The clock is read again while holding the stripe: the collector takes every stripe
                // before counting a window's requests, so it sees this send or we see its window ended.
                var now = clock.Now;
                if (now >= context.End)
                {
                    LoadRecorder.Exit(sw);
                    break;
                }
                if (context.WindowOf(now) != window)
                {
                    LoadRecorder.Exit(sw);
                    continue;
                }
                // Its own intended time: scheduled, sent and in flight at once, in one claim of the stripe.
                sw.Scheduled++;
                sw.Sent++;
                sw.Outstanding++;
                LoadRecorder.Exit(sw);
                var request = context.Mix.Next(random);
                requests.Started(this, now);
                SendOutcome outcome;
                try
                {
                    outcome = await transport.SendAsync(request, now, Timeout.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Transports classify their own failures; anything escaping is still a failed request.
                    outcome = new SendOutcome(0, ErrorClass.Other);
                }
                requests.End(this, window, now, outcome);
            }
        }
    }
}
