using System.Text;

namespace IndexForge.Resilience.Vault.Server.Auth;

public sealed class PolicyParseException(string message) : FormatException(message);

/// <summary>
/// The subset of Vault policy HCL this server enforces: <c>path "..." { capabilities = [...] }</c>. Anything else
/// (allowed_parameters, control groups, ...) is refused rather than silently ignored.
/// </summary>
internal static class PolicyHcl
{
    private static readonly Dictionary<string, VaultCapabilities> CapabilityNames = new(StringComparer.Ordinal)
    {
        ["create"] = VaultCapabilities.Create,
        ["read"] = VaultCapabilities.Read,
        ["update"] = VaultCapabilities.Update,
        ["delete"] = VaultCapabilities.Delete,
        ["list"] = VaultCapabilities.List,
        ["patch"] = VaultCapabilities.Patch,
        ["sudo"] = VaultCapabilities.Sudo,
        ["deny"] = VaultCapabilities.Deny,
    };

    public static IReadOnlyList<VaultPolicyRule> Parse(string hcl)
    {
        var tokens = Tokenize(hcl);
        var rules = new List<VaultPolicyRule>();
        var i = 0;
        while (i < tokens.Count)
        {
            Expect(tokens, ref i, "path", isString: false);
            var path = Expect(tokens, ref i, null, isString: true);
            Expect(tokens, ref i, "{", isString: false);
            var capabilities = VaultCapabilities.None;
            var seen = false;
            while (!Peek(tokens, i, "}"))
            {
                var attribute = Expect(tokens, ref i, null, isString: false);
                if (attribute != "capabilities") throw new PolicyParseException($"unsupported policy attribute '{attribute}' in path \"{path}\"");
                Expect(tokens, ref i, "=", isString: false);
                Expect(tokens, ref i, "[", isString: false);
                while (!Peek(tokens, i, "]"))
                {
                    var name = Expect(tokens, ref i, null, isString: true);
                    if (!CapabilityNames.TryGetValue(name, out var capability)) throw new PolicyParseException($"invalid capability '{name}' in path \"{path}\"");
                    capabilities |= capability;
                    if (Peek(tokens, i, ",")) i++;
                }
                i++;
                seen = true;
            }
            i++;
            if (!seen) throw new PolicyParseException($"path \"{path}\" has no capabilities");
            rules.Add(new VaultPolicyRule(path.TrimStart('/'), capabilities));
        }
        return rules;
    }

    private static bool Peek(List<(string Text, bool IsString)> tokens, int i, string text)
    {
        if (i >= tokens.Count) throw new PolicyParseException($"unexpected end of policy, expected '{text}'");
        return !tokens[i].IsString && tokens[i].Text == text;
    }

    private static string Expect(List<(string Text, bool IsString)> tokens, ref int i, string? text, bool isString)
    {
        if (i >= tokens.Count) throw new PolicyParseException($"unexpected end of policy, expected {text ?? (isString ? "a string" : "a name")}");
        var token = tokens[i];
        if (token.IsString != isString || (text is not null && token.Text != text))
            throw new PolicyParseException($"unexpected '{token.Text}', expected {text ?? (isString ? "a string" : "a name")}");
        i++;
        return token.Text;
    }

    private static List<(string Text, bool IsString)> Tokenize(string hcl)
    {
        var tokens = new List<(string, bool)>();
        var i = 0;
        while (i < hcl.Length)
        {
            var c = hcl[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#' || (c == '/' && i + 1 < hcl.Length && hcl[i + 1] == '/'))
            {
                while (i < hcl.Length && hcl[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < hcl.Length && hcl[i + 1] == '*')
            {
                var end = hcl.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw new PolicyParseException("unterminated comment");
                i = end + 2;
                continue;
            }
            if (c is '{' or '}' or '[' or ']' or '=' or ',')
            {
                tokens.Add((c.ToString(), false));
                i++;
                continue;
            }
            if (c == '"')
            {
                var text = new StringBuilder();
                i++;
                while (i < hcl.Length && hcl[i] != '"')
                {
                    if (hcl[i] == '\\' && i + 1 < hcl.Length) i++;
                    text.Append(hcl[i++]);
                }
                if (i >= hcl.Length) throw new PolicyParseException("unterminated string");
                i++;
                tokens.Add((text.ToString(), true));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < hcl.Length && (char.IsLetterOrDigit(hcl[i]) || hcl[i] == '_')) i++;
                tokens.Add((hcl[start..i], false));
                continue;
            }
            throw new PolicyParseException($"unexpected character '{c}' in policy");
        }
        return tokens;
    }
}
