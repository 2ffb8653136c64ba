using System.Threading.Tasks.Sources;
using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Core.Load.Sending;

/// <summary>Where the open-model dispatcher hands its sends.</summary>
internal interface ILoadSender
{
    /// <summary>Starts a send without waiting for it; false when the in-flight limit is reached.</summary>
    bool TryStart(ILoadTransport transport, int window, long intended, int request);
}

/// <summary>
/// The open model's in-flight slots: at most <c>MaxInFlight</c> requests run at once, each on a
/// reusable slot (a long-lived async loop), so dispatching allocates nothing of ours. Only the
/// dispatcher takes slots (single consumer); any thread returns them (lock-free stack).
/// </summary>
internal sealed class SendPool : ILoadSender
{
    private readonly SendSlot[] _slots;
    private readonly int[] _next;
    private readonly RequestExecutor _executor;
    private int _created;
    private int _head = -1;

    public SendPool(int maxInFlight, RequestExecutor executor)
    {
        _slots = new SendSlot[maxInFlight];
        _next = new int[maxInFlight];
        _executor = executor;
    }

    /// <summary>
    /// Hands the send to a free slot. The caller holds the window's record and has counted the
    /// send in flight there before calling, so the request cannot end before it began.
    /// </summary>
    public bool TryStart(ILoadTransport transport, int window, long intended, int request)
    {
        var slot = Pop();
        if (slot is null)
        {
            if (_created == _slots.Length) return false;
            slot = _slots[_created] = new SendSlot(this, _created, _executor);
            _created++;
        }
        slot.Assign(transport, window, intended, request);
        ThreadPool.UnsafeQueueUserWorkItem(slot, preferLocal: false);
        return true;
    }

    /// <summary>Ends every slot's loop; call once no request is in flight.</summary>
    public void Stop()
    {
        for (var i = 0; i < _created; i++) _slots[i].Stop();
    }

    private SendSlot? Pop()
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            if (head < 0) return null;
            // Single consumer: nobody else pops, so head cannot be popped and pushed back (no ABA).
            if (Interlocked.CompareExchange(ref _head, _next[head], head) == head) return _slots[head];
        }
    }

    private void Push(int index)
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            _next[index] = head;
            if (Interlocked.CompareExchange(ref _head, index, head) == head) return;
        }
    }

    private sealed class SendSlot : RequestOwner, IThreadPoolWorkItem, IValueTaskSource<bool>
    {
        private readonly SendPool _pool;
        private readonly int _index;
        private readonly RequestExecutor _executor;
        private ManualResetValueTaskSourceCore<bool> _signal;
        private ILoadTransport? _transport;
        private int _window;
        private long _intended;
        private int _request;
        private bool _stopping;

        public SendSlot(SendPool pool, int index, RequestExecutor executor)
        {
            _pool = pool;
            _index = index;
            _executor = executor;
            executor.Track(this);
            _ = LoopAsync();
        }

        public void Assign(ILoadTransport transport, int window, long intended, int request)
        {
            _transport = transport;
            _window = window;
            _intended = intended;
            _request = request;
        }

        public void Stop()
        {
            _stopping = true;
            _signal.SetResult(true);
        }

        // Runs on a pool thread; the loop's continuation runs inline right here.
        void IThreadPoolWorkItem.Execute() => _signal.SetResult(true);

        private async Task LoopAsync()
        {
            while (true)
            {
                await new ValueTask<bool>(this, _signal.Version).ConfigureAwait(false);
                if (_stopping) return;
                _executor.Begin(this, _window, _intended, recordLag: true);
                SendOutcome outcome;
                try
                {
                    outcome = await _transport!.SendAsync(_request, _intended, Timeout.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Transports classify their own failures; anything escaping is still a failed request.
                    outcome = new SendOutcome(0, ErrorClass.Other);
                }
                _executor.End(this, _window, _intended, outcome);
                _transport = null;
                _pool.Push(_index);
            }
        }

        public bool GetResult(short token)
        {
            var result = _signal.GetResult(token);
            _signal.Reset();
            return result;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _signal.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _signal.OnCompleted(continuation, state, token, flags);
    }
}
