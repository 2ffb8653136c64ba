using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace IndexForge.Resilience.Reports.Html;

/// <summary>Small helpers so that every piece of run text reaches the page HTML-escaped.</summary>
internal static class HtmlText
{
    // Escapes markup characters only; other text (·, –, ✓) stays readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static StringBuilder Row(this StringBuilder sb, params string?[] encodedCells)
    {
        sb.Append("<tr>");
        foreach (var cell in encodedCells) sb.Append("<td>").Append(cell).Append("</td>");
        return sb.Append("</tr>\n");
    }

    public static StringBuilder Head(this StringBuilder sb, params string[] headers)
    {
        sb.Append("<thead><tr>");
        foreach (var h in headers) sb.Append("<th>").Append(E(h)).Append("</th>");
        return sb.Append("</tr></thead>\n");
    }

    public static string Badge(Core.Results.Verdict verdict)
    {
        var v = ReportText.Verdict(verdict);
        return $"<span class=\"badge {v}\">{v}</span>";
    }

    public static string Num(string encoded) => $"<td class=\"num\">{encoded}</td>";
}
