using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Text;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports.Pushgateway;

/// <summary>
/// One-shot push of a run's figures to a Prometheus Pushgateway (<c>--pushgateway URL</c>). The exposition is
/// produced by prometheus-net from a private registry; the push is a PUT to
/// <c>/metrics/job/&lt;job&gt;/suite/&lt;suite&gt;/target/&lt;target&gt;</c>, so each nightly run replaces its
/// group and Prometheus scrapes one current value per suite and target. Unlike prometheus-net's background
/// MetricPusher, a failed push is reported to the caller.
/// </summary>
public sealed class PushgatewayPublisher(HttpClient? http = null, PushgatewayOptions? options = null, SecretRedactor? redactor = null)
{
    private static readonly HttpClient SharedClient = new();
    private readonly HttpClient _http = http ?? SharedClient;
    private readonly PushgatewayOptions _options = options ?? new PushgatewayOptions();
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    public async Task PushAsync(RunResult run, Uri gateway, CancellationToken cancellationToken)
    {
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        run = _redactor.Redact(run);
        var body = await ExpositionAsync(run, cancellationToken).ConfigureAwait(false);
        var uri = GroupUri(gateway, _options.Job, Grouping(run));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; version=0.0.4; charset=utf-8");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.PutAsync(uri, content, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new PushgatewayException($"pushgateway {gateway.GetLeftPart(UriPartial.Authority)} not reachable: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new PushgatewayException($"pushgateway refused the push ({(int)response.StatusCode} {response.ReasonPhrase}): {_redactor.Redact(text).Trim()}");
            }
        }
    }

    /// <summary>The text exposition that would be pushed (prometheus-net format 0.0.4).</summary>
    public static async Task<byte[]> ExpositionAsync(RunResult run, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await RunMetrics.Build(run).CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        return stream.ToArray();
    }

    private IReadOnlyList<KeyValuePair<string, string>> Grouping(RunResult run)
    {
        var labels = new List<KeyValuePair<string, string>>
        {
            new("suite", run.Manifest.Suite ?? PushgatewayConstants.AdHocSuite),
            new("target", run.Manifest.Target),
        };
        labels.AddRange(_options.GroupingLabels.OrderBy(l => l.Key, StringComparer.Ordinal));
        return labels;
    }

    /// <summary>
    /// The group URL. Values that a path segment cannot carry (a slash, or empty) use the Pushgateway's
    /// <c>label@base64/</c> form (URL-safe base64; an empty value is <c>=</c>).
    /// </summary>
    public static Uri GroupUri(Uri gateway, string job, IEnumerable<KeyValuePair<string, string>> labels)
    {
        var sb = new StringBuilder(gateway.AbsoluteUri.TrimEnd('/'));
        sb.Append("/metrics");
        Segment(sb, "job", job);
        foreach (var (name, value) in labels) Segment(sb, name, value);
        return new Uri(sb.ToString());
    }

    private static void Segment(StringBuilder sb, string name, string value)
    {
        if (value.Length == 0) sb.Append('/').Append(name).Append("@base64/=");
        else if (value.Contains('/'))
            sb.Append('/').Append(name).Append("@base64/").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        else sb.Append('/').Append(name).Append('/').Append(Uri.EscapeDataString(value));
    }
}
