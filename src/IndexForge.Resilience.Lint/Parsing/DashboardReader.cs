using IndexForge.Resilience.Lint.Model;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Parsing;

/// <summary>PromQL in a dashboard, whether written as the plan does (panels[].metrics[].expr) or as Grafana's model (panels[].targets[].expr).</summary>
public static class DashboardReader
{
    public static IEnumerable<(string Expr, int Line, string Title)> Expressions(DashboardFile file)
    {
        var panels = file.Root.Seq("dashboard", "panels") ?? file.Root.Seq("panels");
        foreach (var panel in panels.Items())
        {
            var title = panel.Str("title") ?? "(untitled panel)";
            foreach (var listName in new[] { "metrics", "targets" })
            foreach (var target in panel.Seq(listName).Items())
            {
                if (target is not YamlMappingNode map || map.Str("expr") is not { } expr) continue;
                yield return (expr, map.LineOf(map.Line(), "expr"), title);
            }
        }
    }

    public static IEnumerable<(YamlNode Panel, string Title)> Panels(DashboardFile file)
    {
        var panels = file.Root.Seq("dashboard", "panels") ?? file.Root.Seq("panels");
        foreach (var panel in panels.Items()) yield return (panel, panel.Str("title") ?? "(untitled panel)");
    }
}
