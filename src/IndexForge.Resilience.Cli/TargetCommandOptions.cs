using System.CommandLine;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Cli;

/// <summary>Options that reach the Kubernetes targets, shared by <c>run</c> and <c>up</c>.</summary>
public sealed class TargetCommandOptions
{
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "kubeconfig file for --target kubeconfig." };
    private readonly Option<string?> _context = new("--context") { Description = "kubeconfig context to use (default: the file's current context)." };
    private readonly Option<string?> _haltOn = new("--halt-on") { Description = "Stop the run when the steady state breaks beyond a bound, e.g. \"success-rate<0.5 for 10s\" (kubeconfig target)." };
    private readonly Option<string?> _image = new("--image") { Description = "Sample-service image the cluster can pull (kubeconfig target)." };
    private readonly Option<string?> _vaultAddress = new("--vault-address")
    {
        Description = "Use the cluster's existing Vault at URL instead of installing one (kubeconfig target); the token is read from VAULT_TOKEN, never from the command line. The run works under <mount>/indexforge-runs/<run id>/ only; vault-seal and vault-outage are refused.",
    };
    private readonly Option<string?> _vaultCa = new("--vault-ca") { Description = "PEM CA certificate the existing Vault's TLS certificate chains to (with --vault-address; default: the system's trust)." };
    private readonly Option<int?> _loadAgents = new("--load-agents") { Description = "Generate load from N load-agent pods (an Indexed Job in the run namespace; k3s and kubeconfig targets); their windows and histograms are merged exactly." };
    private readonly Option<string?> _agentImage = new("--agent-image") { Description = "Harness image the load agents run (kubeconfig target; default: loadAgent.image in clusters/versions.yaml; k3s builds its own)." };

    public static TargetCommandOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(_kubeconfig);
        command.Options.Add(_context);
        command.Options.Add(_haltOn);
        command.Options.Add(_loadAgents);
        command.Options.Add(_image);
        command.Options.Add(_vaultAddress);
        command.Options.Add(_vaultCa);
        command.Options.Add(_agentImage);
    }

    public TargetOptions Read(ParseResult parse, RepoLayout layout)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parse.GetValue(_haltOn) is { } haltOn) extra["halt-on"] = haltOn;
        if (parse.GetValue(_image) is { } image) extra["image"] = image;
        if (parse.GetValue(_vaultAddress) is { } vaultAddress) extra["vault-address"] = vaultAddress;
        if (parse.GetValue(_vaultCa) is { } vaultCa) extra["vault-ca"] = vaultCa;
        if (parse.GetValue(_agentImage) is { } agentImage) extra[Kubernetes.Targets.KubernetesTargetBase.AgentImageKey] = agentImage;
        if (parse.GetValue(_loadAgents) is { } agents) extra["load-agents"] = agents.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TargetOptions
        {
            Kubeconfig = parse.GetValue(_kubeconfig),
            Context = parse.GetValue(_context),
            RepositoryRoot = layout.Root,
            Extra = extra,
        };
    }
}
