using System.Net;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Metrics.PrometheusApi;

public sealed class PrometheusApiClientTests
{
    // Bodies shaped as the Prometheus HTTP API documentation shows them.
    private const string VectorBody = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"istio_requests_total","response_code":"200","destination_workload":"indexforge-us-west-1"},"value":[1435781451.781,"41"]},
          {"metric":{"__name__":"istio_requests_total","response_code":"503","destination_workload":"indexforge-us-west-1"},"value":[1435781451.781,"+Inf"]}]}}
        """;

    [Fact]
    public async Task QueryAsync_Vector_PostsFormAndParsesSamples()
    {
        var handler = new StubHandler(HttpStatusCode.OK, VectorBody);
        var client = new PrometheusApiClient(StubHandler.Client(handler, "http://prom.test/proxy/"));

        var result = await client.QueryAsync("sum(istio_requests_total)", DateTimeOffset.FromUnixTimeSeconds(1435781451));

        var (method, uri, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("http://prom.test/proxy/api/v1/query", uri.ToString());
        Assert.Equal("query=sum%28istio_requests_total%29&time=1435781451", body);
        Assert.Equal(PromResultTypes.Vector, result.ResultType);
        Assert.Equal(2, result.Series.Count);
        Assert.Equal(41, result.Series[0].LastValue);
        Assert.Equal(double.PositiveInfinity, result.Series[1].LastValue);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1435781451781), result.Series[0].Points[0].At);
        var samples = result.ToSamples();
        Assert.Equal("istio_requests_total", samples[0].Name);
        Assert.False(samples[0].Labels.ContainsKey("__name__"));
        Assert.Equal("503", samples[1].Label("response_code"));
    }

    [Fact]
    public async Task QueryRangeAsync_Matrix_SendsStartEndStepAndReadsEveryPoint()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"job":"vault"},"values":[[1435781430.781,"1"],[1435781445.781,"NaN"],[1435781460.781,"0"]]}]}}
            """);
        var client = new PrometheusApiClient(StubHandler.Client(handler));
        var start = DateTimeOffset.FromUnixTimeSeconds(1435781430);

        var result = await client.QueryRangeAsync("vault_core_unsealed", start, start.AddSeconds(30), TimeSpan.FromSeconds(15));

        Assert.Equal("query=vault_core_unsealed&start=1435781430&end=1435781460&step=15", handler.Requests[0].Body);
        var series = Assert.Single(result.Series);
        Assert.Equal([1.0, double.NaN, 0.0], series.Points.Select(p => p.Value));
        Assert.Equal("vault", series.Labels["job"]);
    }

    [Fact]
    public async Task QueryRangeAsync_TooManyPoints_RefusesBeforeSending()
    {
        var handler = new StubHandler(HttpStatusCode.OK, VectorBody);
        var client = new PrometheusApiClient(StubHandler.Client(handler));
        var start = DateTimeOffset.FromUnixTimeSeconds(0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.QueryRangeAsync("up", start, start.AddHours(4), TimeSpan.FromSeconds(1)));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task QueryAsync_Scalar_HasOneUnlabelledValue()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"0.25"]}}""");
        var result = await new PrometheusApiClient(StubHandler.Client(handler)).QueryAsync("scalar(vector(0.25))");

        Assert.Equal(0.25, result.SingleValue());
        Assert.Empty(result.Series[0].Labels);
    }

    [Fact]
    public async Task QueryAsync_ErrorStatus_ThrowsWithErrorType()
    {
        var handler = new StubHandler(HttpStatusCode.BadRequest,
            """{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}""");

        var e = await Assert.ThrowsAsync<PrometheusApiException>(() =>
            new PrometheusApiClient(StubHandler.Client(handler)).QueryAsync("sum("));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal("bad_data", e.ErrorType);
        Assert.Contains("parse error", e.Message);
    }

    [Fact]
    public async Task QueryAsync_NotPrometheus_ThrowsWithTheBodyStart()
    {
        var handler = new StubHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        var e = await Assert.ThrowsAsync<PrometheusApiException>(() =>
            new PrometheusApiClient(StubHandler.Client(handler)).QueryAsync("up"));

        Assert.Equal(502, e.StatusCode);
        Assert.Contains("bad gateway", e.Message);
    }

    [Fact]
    public async Task AlertsAsync_FiringAndPending_AreTyped()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"alerts":[
              {"labels":{"alertname":"VaultUnhealthy","severity":"critical"},"annotations":{"summary":"vault down"},"state":"firing","activeAt":"2018-07-04T20:27:12.60602144+02:00","value":"1e+00"},
              {"labels":{"alertname":"ServiceMeshAuthFailure"},"annotations":{},"state":"pending","activeAt":"2018-07-04T20:28:12Z","value":"0.5"}]}}
            """);

        var alerts = await new PrometheusApiClient(StubHandler.Client(handler)).AlertsAsync();

        Assert.Equal("api/v1/alerts", handler.Requests[0].Uri.AbsolutePath.TrimStart('/'));
        Assert.Equal(["VaultUnhealthy", "ServiceMeshAuthFailure"], alerts.Select(a => a.Name));
        Assert.True(alerts[0].Firing);
        Assert.False(alerts[1].Firing);
        Assert.Equal(1.0, alerts[0].Value);
        Assert.Equal("critical", alerts[0].Labels["severity"]);
        Assert.Equal(new DateTimeOffset(2018, 7, 4, 20, 28, 12, TimeSpan.Zero), alerts[1].ActiveAt);
        Assert.Equal(new DateTimeOffset(2018, 7, 4, 18, 27, 12, 606, TimeSpan.Zero).AddTicks(214), alerts[0].ActiveAt);
    }

    [Fact]
    public async Task RulesAsync_AlertingAndRecording_AreTyped()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"status":"success","data":{"groups":[{"name":"SecurityAlerts","file":"/etc/prometheus/rules.yml","interval":15,"rules":[
              {"name":"VaultUnhealthy","query":"vault_up != 1","duration":300,"labels":{"severity":"critical"},"annotations":{},
               "alerts":[],"health":"ok","type":"alerting","state":"inactive"},
              {"name":"job:up:sum","query":"sum by (job) (up)","labels":{},"health":"err","lastError":"boom","type":"recording"}]}]}}
            """);

        var groups = await new PrometheusApiClient(StubHandler.Client(handler)).RulesAsync("alert");

        Assert.Equal("/api/v1/rules?type=alert", handler.Requests[0].Uri.PathAndQuery);
        var group = Assert.Single(groups);
        Assert.Equal(TimeSpan.FromSeconds(15), group.Interval);
        Assert.Equal(TimeSpan.FromMinutes(5), group.Rules[0].Duration);
        Assert.Equal("inactive", group.Rules[0].State);
        Assert.Null(group.Rules[0].LastError);
        Assert.Equal("recording", group.Rules[1].Type);
        Assert.Equal("boom", group.Rules[1].LastError);
        Assert.Null(group.Rules[1].State);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("1e+00", 1.0)]
    [InlineData("-0.5", -0.5)]
    public void ParseValue_PrometheusFormats_Parse(string text, double expected) =>
        Assert.Equal(expected, PrometheusApiClient.ParseValue(text));
}
