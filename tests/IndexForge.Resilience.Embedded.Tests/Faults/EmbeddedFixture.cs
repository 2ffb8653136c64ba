using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults;

/// <summary>
/// One embedded environment (us-west=2, us-east=1) shared by a test class: the faults under test
/// revert, and probes change nothing, so a class can reuse it and the project stays fast.
/// </summary>
public abstract class EmbeddedFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "embedded-faults-" + Guid.NewGuid().ToString("N"));
    private readonly List<TargetEvent> _emitted = [];

    protected abstract string MeshDirectory { get; }
    protected virtual SecretsSpec? Secrets => null;

    public EmbeddedTarget Target { get; } = new();
    public TargetEnvironment Environment { get; private set; } = null!;
    public EmbeddedRuntime Runtime => Target.Runtime;

    public IReadOnlyList<TargetEvent> Emitted
    {
        get { lock (_emitted) return _emitted.ToArray(); }
    }

    public FaultContext Context => new(Environment, TimeProvider.System, new Random(7), e => { lock (_emitted) _emitted.Add(e); });

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        Environment = await Target.UpAsync(new TargetRequest
        {
            Scenario = new Scenario
            {
                Name = "fault-test",
                Claim = "test",
                Topology = new TopologySpec { Replicas = new Dictionary<string, int> { ["us-west"] = 2, ["us-east"] = 1 } },
                Secrets = Secrets,
            },
            MeshConfigDirectory = MeshDirectory,
            RunId = "fault-test",
            Seed = 11,
            WorkDirectory = _work,
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Target.DisposeAsync();
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    public Task<IActiveFault> InjectAsync(string type, FaultOptions options) =>
        Target.GetInjector(type).InjectAsync(options, Context, CancellationToken.None);

    /// <summary>A plain client to the entry point (the caller's sidecar), with the caller's credential when there is one.</summary>
    public async Task<(int Status, TimeSpan Elapsed)> GetAsync(string path = "/search?q=index")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Environment.EntryPoint, path));
        if (Environment.CallerCredential?.Invoke() is { } key) request.Headers.Add("x-indexforge-api-key", key);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}

public sealed class HardenedFixture : EmbeddedFixture
{
    protected override string MeshDirectory => RepoPaths.Of("clusters", "hardened-fast");
}

public sealed class PermissiveFixture : EmbeddedFixture
{
    protected override string MeshDirectory => RepoPaths.Of("tests", "IndexForge.Resilience.Embedded.Tests", "TestConfigs", "permissive");
}

public sealed class TightPoolFixture : EmbeddedFixture
{
    protected override string MeshDirectory => RepoPaths.Of("tests", "IndexForge.Resilience.Embedded.Tests", "TestConfigs", "tight-pool");
}

public sealed class SecretsFixture : EmbeddedFixture
{
    protected override string MeshDirectory => RepoPaths.Of("clusters", "hardened-fast");
    protected override SecretsSpec? Secrets => new() { RefreshInterval = TimeSpan.FromMilliseconds(200), Overlap = TimeSpan.FromSeconds(30) };
}

[CollectionDefinition(Name)]
public sealed class HardenedCollection : ICollectionFixture<HardenedFixture>
{
    public const string Name = "embedded hardened-fast";
}

[CollectionDefinition(Name)]
public sealed class PermissiveCollection : ICollectionFixture<PermissiveFixture>
{
    public const string Name = "embedded permissive";
}

[CollectionDefinition(Name)]
public sealed class TightPoolCollection : ICollectionFixture<TightPoolFixture>
{
    public const string Name = "embedded tight-pool";
}

[CollectionDefinition(Name)]
public sealed class SecretsCollection : ICollectionFixture<SecretsFixture>
{
    public const string Name = "embedded secrets";
}
