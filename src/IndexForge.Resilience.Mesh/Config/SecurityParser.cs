namespace IndexForge.Resilience.Mesh.Config;

/// <summary>Reads PeerAuthentication and AuthorizationPolicy specs.</summary>
internal static class SecurityParser
{
    private static readonly Dictionary<string, MtlsMode> Modes = new(StringComparer.Ordinal)
    {
        ["UNSET"] = MtlsMode.Unset, ["DISABLE"] = MtlsMode.Disable, ["PERMISSIVE"] = MtlsMode.Permissive, ["STRICT"] = MtlsMode.Strict,
    };

    private static readonly Dictionary<string, AuthorizationAction> Actions = new(StringComparer.Ordinal)
    {
        ["ALLOW"] = AuthorizationAction.Allow, ["DENY"] = AuthorizationAction.Deny, ["AUDIT"] = AuthorizationAction.Audit, ["CUSTOM"] = AuthorizationAction.Custom,
    };

    public static (IReadOnlyDictionary<string, string>? Selector, MtlsMode Mode) ReadPeerAuthentication(YamlReader spec)
    {
        var selector = ReadSelector(spec);
        var mode = MtlsMode.Unset;
        if (spec.Map("mtls") is { } mtls)
        {
            mode = mtls.Enum("mode", Modes) ?? MtlsMode.Unset;
            mtls.Done();
        }
        spec.NotEmulated("portLevelMtls", "the workload-level mode applies to every port");
        spec.Done();
        return (selector, mode);
    }

    public static (IReadOnlyDictionary<string, string>? Selector, AuthorizationAction Action, IReadOnlyList<AuthorizationRule>? Rules) ReadAuthorizationPolicy(YamlReader spec)
    {
        var selector = ReadSelector(spec);
        spec.NotEmulated("targetRef");
        spec.NotEmulated("targetRefs");
        var action = spec.Enum("action", Actions) ?? AuthorizationAction.Allow;
        if (action is AuthorizationAction.Audit or AuthorizationAction.Custom)
            spec.Warn("action", $"action {action.ToString().ToUpperInvariant()} is not emulated; the policy is ignored");
        spec.NotEmulated("provider");
        IReadOnlyList<AuthorizationRule>? rules = spec.Has("rules") ? spec.MapList("rules").Select(ReadRule).ToArray() : null;
        spec.Done();
        return (selector, action, rules);
    }

    private static AuthorizationRule ReadRule(YamlReader rule)
    {
        var from = new List<AuthorizationSource>();
        foreach (var f in rule.MapList("from"))
        {
            if (f.Map("source") is { } s)
            {
                from.Add(new AuthorizationSource
                {
                    Principals = s.StringList("principals"),
                    NotPrincipals = s.StringList("notPrincipals"),
                    Namespaces = s.StringList("namespaces"),
                    NotNamespaces = s.StringList("notNamespaces"),
                });
                foreach (var k in (string[])["requestPrincipals", "notRequestPrincipals", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts"])
                    s.NotEmulated(k, "the condition is ignored");
                s.Done();
            }
            f.Done();
        }
        var to = new List<AuthorizationOperation>();
        foreach (var t in rule.MapList("to"))
        {
            if (t.Map("operation") is { } o)
            {
                to.Add(new AuthorizationOperation
                {
                    Methods = o.StringList("methods"),
                    NotMethods = o.StringList("notMethods"),
                    Paths = o.StringList("paths"),
                    NotPaths = o.StringList("notPaths"),
                });
                foreach (var k in (string[])["hosts", "notHosts", "ports", "notPorts"])
                    o.NotEmulated(k, "the condition is ignored");
                o.Done();
            }
            t.Done();
        }
        rule.NotEmulated("when", "the condition is ignored");
        rule.Done();
        return new AuthorizationRule { From = from, To = to };
    }

    private static IReadOnlyDictionary<string, string>? ReadSelector(YamlReader spec)
    {
        if (spec.Map("selector") is not { } sel) return null;
        var labels = sel.StringMap("matchLabels");
        sel.Done();
        return labels;
    }
}
