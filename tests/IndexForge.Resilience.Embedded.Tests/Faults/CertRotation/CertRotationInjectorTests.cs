using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.CertRotation;
using IndexForge.Resilience.Core.Targets;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.CertRotation;

[Collection(HardenedCollection.Name)]
public sealed class CertRotationInjectorTests(HardenedFixture env)
{
    [Fact]
    public async Task InjectAsync_All_EveryWorkloadGetsANewCertificateAndTrafficFlows()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var before = env.Runtime.Inbounds.ToDictionary(kv => kv.Key, kv => kv.Value.Certificate.SerialNumber);
        var callerBefore = env.Runtime.Mesh.WorkloadTls.ClientCertificate.SerialNumber;

        var fault = await env.InjectAsync(FaultTypes.CertRotation, new CertRotationOptions { Name = "rotate" });

        Assert.All(env.Runtime.Inbounds, kv => Assert.NotEqual(before[kv.Key], kv.Value.Certificate.SerialNumber));
        Assert.NotEqual(callerBefore, env.Runtime.Mesh.WorkloadTls.ClientCertificate.SerialNumber);
        Assert.Equal("caller,us-east-1,us-west-1,us-west-2", fault.Details["rotated"]);
        Assert.Contains($"us-west-1:{before["us-west-1"]}", fault.Details["serialsBefore"]);
        Assert.Equal(4, env.Target.EventsSince(since).Count(e => e.Kind == TargetEventKinds.CertificateRotated));
        for (var i = 0; i < 4; i++) Assert.Equal(200, (await env.GetAsync()).Status); // new handshakes on the new certificates
    }

    [Fact]
    public async Task InjectAsync_OneReplica_OthersKeepTheirCertificates()
    {
        var before = env.Runtime.Inbounds.ToDictionary(kv => kv.Key, kv => kv.Value.Certificate.SerialNumber);
        var fault = await env.InjectAsync(FaultTypes.CertRotation, new CertRotationOptions { Name = "one", Replica = "us-west-2" });

        Assert.Equal("us-west-2", fault.Details["rotated"]);
        Assert.NotEqual(before["us-west-2"], env.Runtime.Inbounds["us-west-2"].Certificate.SerialNumber);
        Assert.Equal(before["us-west-1"], env.Runtime.Inbounds["us-west-1"].Certificate.SerialNumber);
        Assert.Equal(before["us-east-1"], env.Runtime.Inbounds["us-east-1"].Certificate.SerialNumber);
    }
}
