using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Targets;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.SecretRotation;

[Collection(SecretsCollection.Name)]
public sealed class SecretRotationInjectorTests(SecretsFixture env)
{
    [Fact]
    public async Task InjectAsync_Rotates_EveryReplicaReportsTheNewVersion()
    {
        var fault = await env.InjectAsync(FaultTypes.SecretRotation, new SecretRotationOptions { Name = "rotate", VerifyWithin = TimeSpan.FromSeconds(5) });

        Assert.Equal("succeeded", fault.Details["rotation"]);
        Assert.Equal("true", fault.Details["verified"]);
        var version = int.Parse(fault.Details["newVersion"]);
        Assert.Equal(version - 1, int.Parse(fault.Details["previousVersion"]));
        Assert.All(await env.Runtime.Secrets!.ReplicaVersionsAsync(CancellationToken.None), kv => Assert.Equal(version, kv.Value));
        Assert.True(double.Parse(fault.Details["allReplicasAfter"], System.Globalization.CultureInfo.InvariantCulture) <= 5);
        Assert.Equal("", fault.Details["laggingReplicas"]);
        Assert.Contains(env.Emitted, e => e.Kind == TargetEventKinds.SecretRotated);
        AssertNoCredential(fault);
    }

    [Fact]
    public async Task InjectAsync_RevokePreviousAfter_DestroysThePreviousVersionLater()
    {
        var fault = await env.InjectAsync(FaultTypes.SecretRotation, new SecretRotationOptions
        {
            Name = "rotate-revoke", VerifyWithin = TimeSpan.FromSeconds(5), RevokePreviousAfter = TimeSpan.FromMilliseconds(300),
        });
        var previous = int.Parse(fault.Details["previousVersion"]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!fault.Details.ContainsKey("destroyedVersion") && !fault.Details.ContainsKey("revokeError") && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.Equal(previous.ToString(System.Globalization.CultureInfo.InvariantCulture), fault.Details["destroyedVersion"]);
        var metadata = await env.Runtime.Secrets!.Admin.ReadMetadataAsync(env.Runtime.Secrets.Path, CancellationToken.None);
        Assert.True(metadata.Versions[previous].Destroyed);
        Assert.False(metadata.Versions[previous + 1].Destroyed);
    }

    /// <summary>Negative control: with Vault sealed the rotation fails, and the failure is recorded rather than thrown away.</summary>
    [Fact]
    public async Task InjectAsync_VaultSealed_RecordsTheFailedRotation()
    {
        var server = env.Runtime.Secrets!.Server;
        await server.SealAsync();
        IActiveFault fault;
        try
        {
            fault = await env.InjectAsync(FaultTypes.SecretRotation, new SecretRotationOptions { Name = "sealed", VerifyWithin = TimeSpan.FromSeconds(1) });
        }
        finally
        {
            await server.UnsealAsync();
        }
        Assert.Equal("failed", fault.Details["rotation"]);
        Assert.Equal("false", fault.Details["verified"]);
        Assert.Equal("ReadCurrent", fault.Details["stage"]);
        Assert.False(string.IsNullOrWhiteSpace(fault.Details["error"]));
        AssertNoCredential(fault);
    }

    private static void AssertNoCredential(IActiveFault fault)
    {
        // Credentials are 32 random bytes in base64url (43 characters); nothing in the details is that long and unbroken.
        Assert.DoesNotContain(fault.Details.Values, v => System.Text.RegularExpressions.Regex.IsMatch(v, "[A-Za-z0-9_-]{40,}"));
    }
}
