using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Html;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Html;

public sealed partial class HtmlWriterTests
{
    private static readonly Lazy<string> Page = new(() => new HtmlWriter().Render(RecordedRun.Create()));

    [Fact]
    public void Render_RecordedRun_HasBannerScenarioSectionsAndManifest()
    {
        var html = Page.Value;
        Assert.Contains("<header class=\"banner verdict-error\" id=\"verdict\" data-verdict=\"error\">", html);
        Assert.Contains("id=\"scenario-00-outlier-ejection\" data-verdict=\"fail\"", html);
        Assert.Contains("id=\"scenario-01-region-failover\" data-verdict=\"error\"", html);
        Assert.Contains("<strong>Claim:</strong> A replica that returns 5xx is ejected", html);
        Assert.Contains("rate(failed) &lt; 0.5%", html);
        Assert.Contains("rate(failed) = 0.6% (12 of 2000)", html);
        Assert.Contains("replica-500s (20.0 s – 40.0 s)", html);
        Assert.Contains("<dt>Cause</dt><dd>baseEjectionTime 30s is shorter", html);
        Assert.Contains("<dt>Fix</dt><dd>Raise baseEjectionTime", html);
        Assert.Contains("is not emulated by the embedded mesh", html);
        Assert.Contains("load generator saturated", html);
        Assert.Contains("id=\"lint\"", html);
        Assert.Contains("IF-OD-003", html);
        Assert.Contains("5f0c7e1a9b3d4c2e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e", html);
        Assert.Contains("ci-runner-3 · Debian GNU/Linux 12 (bookworm) · 2 CPU", html);
        Assert.Contains("indexforge-resilience 0.1.0", html);
        Assert.DoesNotContain("id=\"aborted\"", html);
    }

    [Fact]
    public void Render_RecordedRun_EmbedsEveryPlotAndReferencesNothingOutside()
    {
        var html = Page.Value;
        Assert.Equal(9, DataImage().Count(html));
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'", html);
        foreach (Match m in SourceOrLink().Matches(html))
            Assert.True(m.Groups[1].Value.StartsWith("data:image/png;base64,", StringComparison.Ordinal) || m.Groups[1].Value.StartsWith('#'),
                $"external reference: {m.Value[..Math.Min(80, m.Value.Length)]}");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
    }

    [Fact]
    public void Render_MarkupInRunText_IsEscaped()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var hostile = run with
        {
            Scenarios = [s with
            {
                Name = "<img src=x onerror=alert(1)>",
                Claim = "<script>alert('claim')</script> & \"quotes\"",
                Warnings = ["<b>bold</b>"],
                Assertions = [s.Assertions[2] with { Observed = "</td><script>x()</script>" }],
            }],
        };
        var html = new HtmlWriter().Render(hostile);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;script&gt;alert(&#x27;claim&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;", html);
    }

    [Fact]
    public void Render_AbortedRun_IsClearlyMarked()
    {
        var html = new HtmlWriter().Render(RecordedRun.Create() with { Aborted = true, AbortReason = "interrupted by Ctrl-C" });
        Assert.Contains("data-verdict=\"aborted\"", html);
        Assert.Contains("<h1>ABORTED</h1>", html);
        Assert.Contains("<section class=\"aborted\" id=\"aborted\"><strong>Run aborted:</strong> interrupted by Ctrl-C.", html);
    }

    [RequiresToolFact("chromium")]
    public async Task Open_InHeadlessChromium_EveryImageLoadsAndNoRequestLeavesThePage()
    {
        using var dir = new TempDirectory();
        var path = new HtmlWriter().Write(RecordedRun.Create(), dir.Path).Single();
        var load = await HeadlessChromium.LoadAsync(path);

        Assert.StartsWith("ERROR · IndexForge resilience run", load.Title);
        Assert.Equal(9, load.Images.Count);
        Assert.All(load.Images, i => Assert.True(i.Complete && i.NaturalWidth > 0, $"image {i.Source} did not load"));
        var pageUrl = new Uri(path).AbsoluteUri;
        var outside = load.Requests.Where(r => r != pageUrl && !r.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(outside.Count == 0, "requests left the page: " + string.Join(", ", outside));
    }

    [RequiresToolFact("chromium")]
    public async Task Open_PageWithBrokenImageAndRemoteResource_IsDetected()
    {
        // Negative control for the test above: a broken image and a remote resource must both be seen.
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.html");
        File.WriteAllText(path, "<!DOCTYPE html><html><head><title>bad</title></head><body>"
            + "<img src=\"data:image/png;base64,AAAA\"><img src=\"http://127.0.0.1:9/remote.png\"></body></html>");
        var load = await HeadlessChromium.LoadAsync(path);
        Assert.Contains(load.Images, i => i.NaturalWidth == 0);
        Assert.Contains(load.Requests, r => r.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
    }

    [GeneratedRegex("data:image/png;base64,")]
    private static partial Regex DataImage();

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex SourceOrLink();
}
