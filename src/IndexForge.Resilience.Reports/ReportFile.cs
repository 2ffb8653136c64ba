using System.Text;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports;

/// <summary>The one place writers put text on disk: redacted, UTF-8 without BOM, LF line ends.</summary>
public static class ReportFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string WriteText(string directory, string fileName, string text, SecretRedactor redactor)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var safe = redactor.Redact(text).ReplaceLineEndings("\n");
        File.WriteAllText(path, safe, Utf8);
        return path;
    }

    public static string WriteBytes(string directory, string fileName, byte[] bytes)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
