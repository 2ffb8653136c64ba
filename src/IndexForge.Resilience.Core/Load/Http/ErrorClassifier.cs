using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Core.Load.Http;

/// <summary>Turns a response or a failure into an <see cref="ErrorClass"/> (docs/load-engine.md lists the rules).</summary>
internal static class ErrorClassifier
{
    public static SendOutcome FromResponse(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var headers = response.Headers.NonValidated;
        string? replica = headers.TryGetValues(LoadConstants.ReplicaHeader, out var r) ? r.ToString() : null;
        string? region = headers.TryGetValues(LoadConstants.RegionHeader, out var g) ? g.ToString() : null;
        var overloaded = status == 503 && headers.Contains(LoadConstants.EnvoyOverloadedHeader);
        return new SendOutcome(status, FromStatus(status, overloaded), replica, region);
    }

    /// <summary>2xx and 3xx succeed; a 503 the mesh marked overloaded is mesh overflow.</summary>
    public static ErrorClass FromStatus(int status, bool envoyOverloaded) => status switch
    {
        >= 200 and < 400 => ErrorClass.None,
        503 when envoyOverloaded => ErrorClass.MeshOverflow,
        >= 400 and < 500 => ErrorClass.Http4xx,
        >= 500 and < 600 => ErrorClass.Http5xx,
        _ => ErrorClass.Other,
    };

    public static ErrorClass Classify(Exception e, CancellationToken requestToken)
    {
        if (e is OperationCanceledException) return requestToken.IsCancellationRequested ? ErrorClass.Timeout : ErrorClass.Other;
        if (FindInner<TimeoutException>(e) is not null) return ErrorClass.Timeout;
        if (FindSocketError(e) is { } socketError)
        {
            switch (socketError)
            {
                case SocketError.ConnectionRefused: return ErrorClass.ConnectionRefused;
                case SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected:
                    return ErrorClass.ConnectionReset;
                case SocketError.TimedOut: return ErrorClass.Timeout;
            }
        }
        var error = e switch
        {
            HttpRequestException h => h.HttpRequestError,
            HttpIOException io => io.HttpRequestError,
            _ => FindInner<HttpIOException>(e)?.HttpRequestError ?? HttpRequestError.Unknown,
        };
        if (error == HttpRequestError.SecureConnectionError || FindInner<AuthenticationException>(e) is not null) return ErrorClass.TlsHandshake;
        return error switch
        {
            HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError => ErrorClass.ConnectionReset,
            HttpRequestError.ConnectionError => ErrorClass.ConnectionRefused,
            _ => FindInner<IOException>(e) is not null ? ErrorClass.ConnectionReset : ErrorClass.Other,
        };
    }

    private static SocketError? FindSocketError(Exception e) => FindInner<SocketException>(e)?.SocketErrorCode;

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t) return t;
        }
        return null;
    }
}
