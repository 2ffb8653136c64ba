using IndexForge.Resilience.Core.Load.Scheduling;

namespace IndexForge.Resilience.Core.Load.RampingArrivalRate;

/// <summary>
/// Open model whose rate moves linearly through the stages. Send i leaves when the cumulative
/// count of the rate curve reaches i, N(t) = i, so a constant stage matches the constant executor.
/// </summary>
internal sealed class RampingArrivalRateExecutor(RampingArrivalRateOptions options) : IPhaseExecutor
{
    public ValueTask RunAsync(PhaseContext context) =>
        ArrivalDispatcher.RunAsync(context, new Schedule(options, context.Clock.Ts.Frequency));

    internal sealed class Schedule : IArrivalSchedule
    {
        // Cumulative counts are rounded to this many decimals so 0→10/s over 10 s is 50 sends, not 51.
        private const int CountDecimals = 9;
        private readonly Stage[] _stages;
        private readonly double _total;
        private readonly long _frequency;
        private int _stage;

        public Schedule(RampingArrivalRateOptions options, long frequency)
        {
            _frequency = frequency;
            _stages = new Stage[options.Stages.Count];
            var from = options.StartRate;
            var start = 0.0;
            var cumulative = 0.0;
            for (var k = 0; k < options.Stages.Count; k++)
            {
                var s = options.Stages[k];
                var seconds = s.Duration.TotalSeconds;
                _stages[k] = new Stage(start, seconds, from, s.Target, cumulative);
                cumulative = Math.Round(cumulative + (from + s.Target) / 2 * seconds, CountDecimals);
                start += seconds;
                from = s.Target;
            }
            _total = cumulative;
            Length = start;
        }

        /// <summary>Phase length in seconds.</summary>
        public double Length { get; }

        /// <summary>Sends the whole phase makes.</summary>
        public long Count => (long)Math.Ceiling(_total);

        public bool TryGetOffset(long i, out long offset)
        {
            offset = 0;
            if (i >= _total) return false;
            // The dispatcher asks in order; walk forward, or back to the start for a fresh walk.
            if (i < _stages[_stage].Cumulative) _stage = 0;
            while (_stage + 1 < _stages.Length && i >= _stages[_stage + 1].Cumulative) _stage++;
            var stage = _stages[_stage];
            var seconds = stage.Start + stage.TimeOf(i - stage.Cumulative);
            offset = (long)Math.Floor(seconds * _frequency);
            return seconds < Length;
        }

        private readonly record struct Stage(double Start, double Duration, double From, double To, double Cumulative)
        {
            /// <summary>Solves From·t + (To−From)·t²/(2·Duration) = n for t, in a form stable when To ≈ From.</summary>
            public double TimeOf(double n)
            {
                if (n <= 0) return 0;
                var k = (To - From) / (2 * Duration);
                return 2 * n / (From + Math.Sqrt(From * From + 4 * k * n));
            }
        }
    }
}
