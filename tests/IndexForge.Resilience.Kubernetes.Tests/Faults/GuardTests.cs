using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.CertRotation;
using IndexForge.Resilience.Core.Faults.MeshFault;
using IndexForge.Resilience.Core.Faults.RegionOutage;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;
using IndexForge.Resilience.Core.Faults.ReplicaKill;
using IndexForge.Resilience.Core.Faults.VaultOutage;
using IndexForge.Resilience.Core.Faults.VaultSeal;
using IndexForge.Resilience.Core.Faults.ZoneOutage;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Faults.CertRotation;
using IndexForge.Resilience.Kubernetes.Faults.MeshFault;
using IndexForge.Resilience.Kubernetes.Faults.RegionOutage;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaHttpError;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaKill;
using IndexForge.Resilience.Kubernetes.Faults.VaultOutage;
using IndexForge.Resilience.Kubernetes.Faults.VaultSeal;
using IndexForge.Resilience.Kubernetes.Faults.ZoneOutage;
using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using IndexForge.Resilience.Kubernetes.Vault;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Faults;

public sealed class GuardTests
{
    public static TheoryData<string> Destructive => new()
    {
        "replica-kill", "region-outage-stop", "region-outage-fail", "zone-outage", "replica-http-error", "mesh-fault", "cert-rotation", "vault-seal", "vault-outage",
    };

    [Theory]
    [MemberData(nameof(Destructive))]
    public async Task Inject_NamespaceNotOwned_RefusedBeforeAnyChange(string which)
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var owned = await fake.WithVaultAsync();
        // Lookups go to the seeded namespace, but the guard owns another one: only the guard can stop the change.
        var cluster = new KubeCluster
        {
            Client = owned.Client, Channels = owned.Channels, Timings = owned.Timings,
            Namespace = FakeCluster.Ns,
            Guard = new NamespaceGuard(FakeCluster.Ns + "-other"),
            Vault = owned.Vault,
        };
        var (injector, options) = Pick(which, cluster);

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() => injector.InjectAsync(options, fake.Context(), CancellationToken.None));

        Assert.Contains("refused", e.Message);
        Assert.DoesNotContain(fake.Api.Mutations, r => r.Method != "PORTFORWARD");
        Assert.All(fake.Pods.Values, p => Assert.DoesNotContain(p.Requests, r => r.Method != "GET"));
        Assert.DoesNotContain(fake.VaultPod!.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task Inject_NamespaceOwned_Proceeds()
    {
        // Negative control of the theory above: the same injection with the guard owning the namespace changes the cluster.
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var (injector, options) = Pick("replica-kill", fake.Cluster);
        await injector.InjectAsync(options, fake.Context(), CancellationToken.None);
        Assert.NotEmpty(fake.Api.Mutations);
    }

    [Fact]
    public void EnsureOwned_OtherNamespace_Throws_OwnAndAdopted_DoNot()
    {
        var guard = new NamespaceGuard("run-a");
        guard.EnsureOwned("run-a", "x");
        Assert.Throws<NamespaceGuardException>(() => guard.EnsureOwned("kube-system", "delete pod"));
        guard.Adopt("run-a-intruder");
        guard.EnsureOwned("run-a-intruder", "x");
    }

    private static (IFaultInjector, FaultOptions) Pick(string which, KubeCluster c) => which switch
    {
        "replica-kill" => (new ReplicaKillInjector(c), new ReplicaKillOptions { Replica = "us-west-1" }),
        "region-outage-stop" => (new RegionOutageInjector(c), new RegionOutageOptions { Region = "us-west", Mode = "stop" }),
        "region-outage-fail" => (new RegionOutageInjector(c), new RegionOutageOptions { Region = "us-west", Mode = "fail" }),
        "zone-outage" => (new ZoneOutageInjector(c), new ZoneOutageOptions { Zone = "us-westa" }),
        "replica-http-error" => (new ReplicaHttpErrorInjector(c), new ReplicaHttpErrorOptions { Replica = "us-west-1" }),
        "mesh-fault" => (new MeshFaultInjector(c), new MeshFaultOptions { AbortStatus = 503 }),
        "cert-rotation" => (new CertRotationInjector(c), new CertRotationOptions()),
        "vault-seal" => (new VaultSealInjector(c), new VaultSealOptions()),
        "vault-outage" => (new VaultOutageInjector(c), new VaultOutageOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };
}
