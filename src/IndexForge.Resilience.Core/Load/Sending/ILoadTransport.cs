using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Core.Load.Sending;

/// <summary>Sends one request of the mix to one endpoint and says what happened; never throws.</summary>
internal interface ILoadTransport : IAsyncDisposable
{
    /// <param name="request">Index into <see cref="LoadSpec.Requests"/>.</param>
    /// <param name="intended">When the send was meant to leave (timestamp of the run's clock).</param>
    /// <param name="cancellationToken">Fires at the request timeout or when the run is cancelled.</param>
    ValueTask<SendOutcome> SendAsync(int request, long intended, CancellationToken cancellationToken);
}

internal interface ILoadTransportFactory
{
    ILoadTransport Create(LoadEndpoint endpoint, LoadPlan plan);
}
