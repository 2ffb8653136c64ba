using System.Net;
using System.Text;

namespace IndexForge.Resilience.Reports.Html;

/// <summary>Small helpers so that every piece of run text reaches the page HTML-escaped.</summary>
internal static class HtmlText
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

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
