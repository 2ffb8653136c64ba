using System.Security.Cryptography;
using IndexForge.Resilience.Vault.Server.Seal;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server.Seal;

public sealed class ShamirTests
{
    [Fact]
    public void Combine_AnyThresholdSubset_RecoversTheSecret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = Shamir.Split(secret, 5, 3);

        foreach (var subset in new[] { new[] { 0, 1, 2 }, [4, 2, 0], [1, 3, 4], [0, 1, 2, 3, 4] })
            Assert.Equal(secret, Shamir.Combine(subset.Select(i => shares[i]).ToList()));
        Assert.All(shares, s => Assert.Equal(33, s.Length));
    }

    [Fact]
    public void Combine_FewerThanThreshold_GivesAnotherSecret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = Shamir.Split(secret, 5, 3);
        Assert.NotEqual(secret, Shamir.Combine([shares[0], shares[1]]));
    }

    [Fact]
    public void Combine_DuplicateShare_IsRefused()
    {
        var shares = Shamir.Split(RandomNumberGenerator.GetBytes(16), 3, 2);
        Assert.Throws<ArgumentException>(() => Shamir.Combine([shares[0], shares[0]]));
    }

    [Fact]
    public void Split_ThresholdAboveShares_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Shamir.Split(new byte[] { 1 }, 2, 3));

    [Fact]
    public void Multiply_IsTheAesField()
    {
        // FIPS-197 4.2: {57} x {83} = {c1}; every non-zero element has an inverse.
        Assert.Equal(0xC1, Shamir.Multiply(0x57, 0x83));
        for (var a = 1; a < 256; a++) Assert.Equal(1, Shamir.Multiply((byte)a, Shamir.Divide(1, (byte)a)));
    }
}
