using IndexForge.Resilience.Core.Load.Scheduling;

namespace IndexForge.Resilience.Core.Load.ConstantArrivalRate;

/// <summary>Open model at a fixed rate: send i leaves at phase start + i / rate.</summary>
internal sealed class ConstantArrivalRateExecutor(ConstantArrivalRateOptions options) : IPhaseExecutor
{
    public ValueTask RunAsync(PhaseContext context) =>
        ArrivalDispatcher.RunAsync(context, new Schedule(options.Rate, context.End - context.Start, context.Clock.Ts.Frequency));

    /// <summary>Send i at i × frequency / rate; the count is every i whose offset falls inside the phase.</summary>
    internal sealed class Schedule(double rate, long length, long frequency) : IArrivalSchedule
    {
        public bool TryGetOffset(long i, out long offset)
        {
            // (i × frequency) / rate is exact whenever the division is, so whole-number periods stay exact.
            offset = (long)Math.Floor(i * (double)frequency / rate);
            return offset < length;
        }
    }
}
