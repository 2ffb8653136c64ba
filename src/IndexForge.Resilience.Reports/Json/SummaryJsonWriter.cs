using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports.Json;

/// <summary>Writes summary.json, the machine-readable run (read back by compare).</summary>
public sealed class SummaryJsonWriter(SecretRedactor? redactor = null) : IReportWriter
{
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    public string Name => ReportFormats.Json;

    public IReadOnlyList<string> Write(RunResult run, string directory) =>
        [ReportFile.WriteText(directory, ReportConstants.SummaryJson, SummaryJson.Serialize(_redactor.Redact(run)), _redactor)];
}
