using IndexForge.Resilience.Core.Metrics;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Metrics;

public class PrometheusTextTests
{
    private const string Valid = """
        # HELP istio_requests_total Requests.
        # TYPE istio_requests_total counter
        istio_requests_total{response_code="200",response_flags="-",destination_service="a.b.svc.cluster.local"} 42
        istio_requests_total{response_code="503",response_flags="UO",destination_service="a.b.svc.cluster.local"} 3 1700000000000
        # TYPE istio_request_duration_milliseconds histogram
        istio_request_duration_milliseconds_bucket{le="0.5"} 1
        istio_request_duration_milliseconds_bucket{le="+Inf"} 4
        istio_request_duration_milliseconds_sum 12.5
        istio_request_duration_milliseconds_count 4
        # a plain comment
        envoy_cluster_outlier_detection_ejections_active{cluster_name="outbound|8080||a.b.svc.cluster.local"} 1
        weird{path="a\"b\\c\nd"} NaN
        up -Inf
        """;

    [Fact]
    public void Parse_ValidExposition_ReturnsEverySampleWithLabels()
    {
        var samples = PrometheusText.Parse(Valid);

        Assert.Equal(9, samples.Count);
        var uo = Assert.Single(samples, s => s.Name == "istio_requests_total" && s.Label("response_flags") == "UO");
        Assert.Equal(3, uo.Value);
        Assert.Equal(double.PositiveInfinity, double.Parse(samples.Single(s => s.Value == 4 && s.Name.EndsWith("_bucket")).Label("le").Replace("+Inf", "Infinity")));
        Assert.Equal("outbound|8080||a.b.svc.cluster.local", samples.Single(s => s.Name.StartsWith("envoy")).Label("cluster_name"));
        Assert.Equal("a\"b\\c\nd", samples.Single(s => s.Name == "weird").Label("path"));
        Assert.True(double.IsNaN(samples.Single(s => s.Name == "weird").Value));
        Assert.Equal(double.NegativeInfinity, samples.Single(s => s.Name == "up").Value);
        Assert.Equal(45, new MetricSet(DateTimeOffset.UnixEpoch, samples).Sum("istio_requests_total"));
    }

    [Theory]
    [InlineData("1metric 1", "invalid metric name")]
    [InlineData("m{a=\"1\",a=\"2\"} 1", "duplicate label a")]
    [InlineData("m{a=\"1} 1", "unterminated")]
    [InlineData("m{a=1} 1", "expected '\"'")]
    [InlineData("m{__name__=\"x\"} 1", "reserved")]
    [InlineData("m one", "invalid value")]
    [InlineData("m 1 12.5", "invalid timestamp")]
    [InlineData("m{a=\"\\t\"} 1", "invalid escape")]
    [InlineData("m 1\nm 2", "duplicate series")]
    [InlineData("# TYPE m counter\n# TYPE m gauge", "second TYPE")]
    [InlineData("m 1\n# TYPE m counter", "after its samples")]
    [InlineData("# TYPE m countr", "TYPE of m must be")]
    [InlineData("# TYPE h histogram\nh_bucket 1", "numeric 'le'")]
    [InlineData("# TYPE h histogram\nh 1", "without _bucket")]
    public void Parse_InvalidExposition_ThrowsWithLine(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("line ", e.Message);
    }

    [Fact]
    public void Parse_EmptyOrCommentsOnly_ReturnsNothing()
    {
        Assert.Empty(PrometheusText.Parse(""));
        Assert.Empty(PrometheusText.Parse("# just a comment\n\n"));
    }
}
