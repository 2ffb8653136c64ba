using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Rotation;

/// <summary>ROT003: hvac's kv.v2.create_or_update_secret has no metadata parameter; custom metadata is a separate call.</summary>
public sealed class KvMetadataArgumentRule : LintRule
{
    public override RuleInfo Info { get; } = new("ROT003", Severity.Error, "Rotation", "create_or_update_secret(metadata=...)", References.HvacKvV2);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.PythonFiles)
        foreach (var (line, code) in PythonModel.CodeLines(file))
        {
            var idx = code.IndexOf("create_or_update_secret(", StringComparison.Ordinal);
            if (idx < 0) continue;
            var call = PythonModel.CallText(file, line, idx);
            if (!Regex.IsMatch(call, @"\bmetadata\s*=")) continue;
            yield return Finding(file.File, line, "kv.v2.create_or_update_secret(..., metadata=...): hvac has no such parameter",
                "The signature is create_or_update_secret(path, secret, cas=None, mount_point='secret'); the call raises " +
                "\"TypeError: unexpected keyword argument 'metadata'\" before any request is sent. The secret is never rotated, " +
                "and the except block reports a failure on every run.",
                "Write the secret with create_or_update_secret(path=..., secret=...), then set custom metadata with " +
                "kv.v2.update_metadata(path=..., custom_metadata={'rotation_date': ..., 'next_rotation': ...}) (Vault 1.9+).");
        }
    }
}
