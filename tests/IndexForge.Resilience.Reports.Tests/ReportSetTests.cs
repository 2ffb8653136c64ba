using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Json;
using IndexForge.Resilience.Reports.Plots;
using IndexForge.Resilience.Reports.Redaction;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using IndexForge.Resilience.Reports.Tests.Redaction;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests;

public sealed class ReportSetTests
{
    [Fact]
    public void Write_RecordedRun_WritesEveryFormatUnderTheRunId()
    {
        using var dir = new TempDirectory();
        var result = new ReportSet().Write(RecordedRun.Create(), dir.Path);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Equal(Path.Combine(dir.Path, "20261127-020000-nightly"), result.Directory);
        Assert.Equal(Path.Combine(result.Directory, "summary.json"), result.Path(ReportFormats.Json));
        Assert.Equal(Path.Combine(result.Directory, "junit.xml"), result.Path(ReportFormats.JUnit));
        Assert.Equal(Path.Combine(result.Directory, "summary.md"), result.Path(ReportFormats.Markdown));
        Assert.Equal(Path.Combine(result.Directory, "index.html"), result.Path(ReportFormats.Html));
        Assert.Equal(9, result.Files[ReportFormats.Plots].Count);
        Assert.All(result.Files.Values.SelectMany(f => f), f => Assert.True(File.Exists(f), f));
        Assert.Equal(RecordedRun.Create().Scenarios.Count, SummaryJson.Read(result.Path(ReportFormats.Json)!).Scenarios.Count);
    }

    [Fact]
    public void Write_SelectedFormats_WritesOnlyThose()
    {
        using var dir = new TempDirectory();
        var result = new ReportSet(new ReportSetOptions { Formats = [ReportFormats.Json, ReportFormats.JUnit] }).Write(RecordedRun.Create(), dir.Path);
        Assert.Equal([ReportFormats.Json, ReportFormats.JUnit], result.Files.Keys.Order());
        Assert.False(Directory.Exists(Path.Combine(result.Directory, ReportConstants.PlotsDirectory)));
    }

    [Fact]
    public void Write_UnknownFormat_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReportSet(new ReportSetOptions { Formats = ["pdf"] }).Write(RecordedRun.Create(), Path.GetTempPath()));

    [Fact]
    public void DirectoryFor_RunIdWithSlashes_StaysInsideTheRoot()
    {
        var dir = ReportSet.DirectoryFor("reports", "../../etc");
        Assert.Equal("reports", Path.GetDirectoryName(dir));
        Assert.DoesNotContain("..", Path.GetFileName(dir)[..2]);
    }

    [Fact]
    public void Write_SecretsEverywhere_NoFileContainsThem()
    {
        using var dir = new TempDirectory();
        var result = new ReportSet().Write(WithSecrets(), dir.Path);
        Assert.True(result.Succeeded);
        var secrets = new[] { SecretRedactorTests.VaultToken, SecretRedactorTests.LegacyToken, SecretRedactorTests.ApiKey, "MIIEowIBAAKCAQEAx7bmI0Y5nK3aQ9w", "BEGIN RSA PRIVATE KEY" };
        foreach (var file in Directory.EnumerateFiles(result.Directory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} contains {secret[..10]}…");
            Assert.Contains("[REDACTED]", text);
        }
    }

    [Fact]
    public void Write_SecretsEverywhere_NegativeControlWithoutRedactionLeaks()
    {
        // Proves the test above can fail: the same run written without the model pass still carries the secrets
        // in the serialised text until the final text pass removes them.
        var json = SummaryJson.Serialize(WithSecrets());
        Assert.Contains(SecretRedactorTests.VaultToken, json);
        Assert.Contains(SecretRedactorTests.ApiKey, json);
    }

    [Fact]
    public void Write_BareSecretTheCallerKnows_IsRemovedByLiteral()
    {
        using var dir = new TempDirectory();
        var run = RecordedRun.Create();
        var leaky = run with { Scenarios = [run.Scenarios[0] with { Claim = "rotated to " + SecretRedactorTests.ApiKey }] };
        var options = new ReportSetOptions { Formats = [ReportFormats.Json, ReportFormats.Markdown] };
        var plain = new ReportSet(options).Write(leaky, Path.Combine(dir.Path, "plain"));
        // Negative control: a bare value has no shape to recognise, so only the literal list can remove it.
        Assert.Contains(SecretRedactorTests.ApiKey, File.ReadAllText(plain.Path(ReportFormats.Json)!));
        var known = new ReportSet(options, SecretRedactor.Default.WithLiterals([SecretRedactorTests.ApiKey])).Write(leaky, Path.Combine(dir.Path, "known"));
        Assert.DoesNotContain(SecretRedactorTests.ApiKey, File.ReadAllText(known.Path(ReportFormats.Json)!));
        Assert.DoesNotContain(SecretRedactorTests.ApiKey, File.ReadAllText(known.Path(ReportFormats.Markdown)!));
    }

    [Fact]
    public void Plots_SecretInScenarioName_IsRedactedBeforeItIsDrawn()
    {
        var run = WithSecrets();
        var rendered = new List<RunResult>();
        new PlotsWriter(r => { rendered.Add(r); return []; }).Write(run, Path.GetTempPath());
        Assert.DoesNotContain(SecretRedactorTests.VaultToken, rendered.Single().Scenarios[0].Name);
    }

    private static RunResult WithSecrets()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var a = s.Assertions[2];
        return run with
        {
            AbortReason = "token " + SecretRedactorTests.VaultToken,
            Manifest = run.Manifest with { CommandLine = ["run", "--vault-token", SecretRedactorTests.VaultToken] },
            Scenarios =
            [
                s with
                {
                    Name = "leak " + SecretRedactorTests.VaultToken,
                    Claim = "x-indexforge-api-key: " + SecretRedactorTests.ApiKey,
                    Error = "failed with " + SecretRedactorTests.Pem,
                    Warnings = ["legacy " + SecretRedactorTests.LegacyToken],
                    Assertions = [a with { Observed = "header x-indexforge-api-key=" + SecretRedactorTests.ApiKey, Message = SecretRedactorTests.Pem }],
                    Faults = [s.Faults[0] with { Details = new Dictionary<string, string> { ["token"] = SecretRedactorTests.VaultToken } }],
                    Findings = [s.Findings[0] with { Cause = "root token " + SecretRedactorTests.LegacyToken }],
                    Events = [new TimelineEvent(TimeSpan.FromSeconds(1), "secret-rotated", "kv/indexforge", "new key x-indexforge-api-key: " + SecretRedactorTests.ApiKey)],
                },
                run.Scenarios[1],
            ],
        };
    }
}
