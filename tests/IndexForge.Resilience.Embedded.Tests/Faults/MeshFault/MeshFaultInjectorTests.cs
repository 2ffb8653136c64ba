using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.MeshFault;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.MeshFault;

[Collection(HardenedCollection.Name)]
public sealed class MeshFaultInjectorTests(HardenedFixture env)
{
    [Fact]
    public async Task InjectAsync_AbortAll_EntryPointAnswersAbortStatusUntilReverted()
    {
        Assert.Equal(200, (await env.GetAsync()).Status); // control: the route works before the fault
        var fault = await env.InjectAsync(FaultTypes.MeshFault, new MeshFaultOptions { Name = "abort", AbortStatus = 418, AbortPercent = 100 });
        try
        {
            for (var i = 0; i < 5; i++) Assert.Equal(418, (await env.GetAsync()).Status);
            Assert.Equal("418", fault.Details["abortStatus"]);
        }
        finally
        {
            await fault.RevertAsync(CancellationToken.None);
        }
        for (var i = 0; i < 5; i++) Assert.Equal(200, (await env.GetAsync()).Status);
    }

    [Fact]
    public async Task InjectAsync_NeitherAbortNorDelay_Throws()
    {
        await Assert.ThrowsAsync<FaultInjectionException>(() => env.InjectAsync(FaultTypes.MeshFault, new MeshFaultOptions { Name = "nothing" }));
    }
}
