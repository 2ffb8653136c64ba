using System.Net;
using System.Text;

namespace IndexForge.Resilience.Core.Tests.Metrics.PrometheusApi;

/// <summary>Answers every request with one canned body and remembers what was asked.</summary>
internal sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Uri, string Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, sent));
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    public static HttpClient Client(StubHandler handler, string baseAddress = "http://prom.test/") =>
        new(handler) { BaseAddress = new Uri(baseAddress) };
}
