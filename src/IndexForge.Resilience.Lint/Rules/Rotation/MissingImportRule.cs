using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Rotation;

/// <summary>ROT004: `os.environ` used without `import os` raises NameError before any rotation runs.</summary>
public sealed class MissingImportRule : LintRule
{
    private static readonly string[] Modules = ["os", "asyncio", "json", "logging"];

    public override RuleInfo Info { get; } = new("ROT004", Severity.Error, "Rotation", "module used without import", References.PythonImport);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.PythonFiles)
        {
            var code = PythonModel.CodeLines(file).ToList();
            foreach (var module in Modules)
            {
                var imported = code.Any(l => Regex.IsMatch(l.Code, $@"^\s*(import\s+([\w.]+\s*,\s*)*{module}\b|from\s+{module}\b)"));
                if (imported) continue;
                var use = code.FirstOrDefault(l => Regex.IsMatch(l.Code, $@"(?<![\w.]){module}\."));
                if (use.Code is null) continue;
                yield return Finding(file.File, use.Line, $"{module}. is used but {module} is never imported",
                    $"Python raises NameError: name '{module}' is not defined when the line runs" +
                    (module == "os" ? " — here in __init__, outside any try, so the rotation job crashes before rotating anything." : "."),
                    $"Add import {module} at the top of the module.");
            }
        }
    }
}
