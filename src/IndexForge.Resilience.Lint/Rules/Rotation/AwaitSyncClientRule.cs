using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Rotation;

/// <summary>ROT001: hvac is synchronous; `await client.secrets...` awaits a dict/Response and raises TypeError.</summary>
public sealed class AwaitSyncClientRule : LintRule
{
    public override RuleInfo Info { get; } = new("ROT001", Severity.Error, "Rotation", "await on the synchronous hvac client", References.PythonAwait);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.PythonFiles)
        {
            var clients = PythonModel.HvacClientNames(file);
            if (clients.Count == 0) continue;
            foreach (var (line, code) in PythonModel.CodeLines(file))
            {
                var m = Regex.Match(code, @"\bawait\s+([A-Za-z_][\w.]*)");
                if (!m.Success) continue;
                var target = m.Groups[1].Value;
                var client = clients.FirstOrDefault(c => target == c || target.StartsWith(c + ".", StringComparison.Ordinal));
                if (client is null) continue;
                yield return Finding(file.File, line, $"await {target}(...): {client} is a synchronous hvac.Client",
                    "hvac calls block and return a dict or requests.Response; awaiting that raises \"TypeError: object dict can't be used in " +
                    "'await' expression\" after the call has run. Inside the try block it lands in except: a rotation that succeeded is " +
                    "reported as failed (or one that failed is reported twice), and the blocking call stalls the event loop meanwhile.",
                    "Call it without await in a thread (await asyncio.to_thread(self.client.secrets.kv.v2.create_or_update_secret, ...)), " +
                    "or use an async Vault client.");
            }
        }
    }
}
