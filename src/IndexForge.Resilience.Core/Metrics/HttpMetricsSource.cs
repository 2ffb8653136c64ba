namespace IndexForge.Resilience.Core.Metrics;

/// <summary>
/// Scrapes one or more Prometheus text endpoints (the mesh's /metrics, Vault's metrics) and returns
/// their samples as one <see cref="MetricSet"/>. A target that cannot be scraped fails the scrape with
/// its URL in the message: a missing metric must never read as zero.
/// </summary>
public sealed class HttpMetricsSource : IMetricsSource, IDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly TimeProvider _time;

    public HttpMetricsSource(IEnumerable<Uri> urls, HttpClient? client = null, TimeProvider? time = null)
    {
        _urls = urls?.ToArray() ?? throw new ArgumentNullException(nameof(urls));
        if (_urls.Count == 0) throw new ArgumentException("at least one metrics URL is needed", nameof(urls));
        _ownsClient = client is null;
        _client = client ?? new HttpClient { Timeout = MetricsConstants.DefaultScrapeTimeout };
        _time = time ?? TimeProvider.System;
    }

    public HttpMetricsSource(params Uri[] urls) : this((IEnumerable<Uri>)urls) { }

    public IReadOnlyList<Uri> Urls => _urls;

    public async Task<MetricSet> ScrapeAsync(CancellationToken cancellationToken)
    {
        var bodies = await Task.WhenAll(_urls.Select(u => FetchAsync(u, cancellationToken))).ConfigureAwait(false);
        var samples = new List<MetricSample>();
        for (var i = 0; i < bodies.Length; i++)
        {
            try
            {
                samples.AddRange(PrometheusText.Parse(bodies[i]));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{_urls[i]}: {e.Message}", e);
            }
        }
        return new MetricSet(_time.GetUtcNow(), samples);
    }

    private async Task<string> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", MetricsConstants.TextFormatAccept);
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"scraping {url} answered {(int)response.StatusCode}", null, response.StatusCode);
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!e.Message.Contains(url.ToString(), StringComparison.Ordinal))
        {
            throw new HttpRequestException($"scraping {url} failed: {e.Message}", e, e.StatusCode);
        }
    }

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}

public static class MetricsConstants
{
    public static readonly TimeSpan DefaultScrapeTimeout = TimeSpan.FromSeconds(10);
    public const string TextFormatAccept = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
    public const string TextFormatContentType = "text/plain; version=0.0.4; charset=utf-8";
}
