using System.Security.Cryptography;

namespace IndexForge.Resilience.Vault.Server.Seal;

/// <summary>
/// Shamir's secret sharing over GF(2^8), share layout as Vault's: the y-values followed by one
/// x-coordinate byte, so a share is one byte longer than the secret.
/// </summary>
public static class Shamir
{
    public const int MaxShares = 255;

    public static IReadOnlyList<byte[]> Split(ReadOnlySpan<byte> secret, int shares, int threshold)
    {
        if (secret.Length == 0) throw new ArgumentException("cannot split an empty secret", nameof(secret));
        if (shares < threshold) throw new ArgumentException("shares cannot be less than threshold", nameof(shares));
        if (shares > MaxShares) throw new ArgumentException("shares cannot exceed 255", nameof(shares));
        if (threshold < 2 && shares > 1) throw new ArgumentException("threshold must be at least 2", nameof(threshold));
        if (threshold < 1) throw new ArgumentException("threshold must be at least 1", nameof(threshold));

        // Distinct non-zero x-coordinates in a random order, as Vault draws them.
        var xs = Enumerable.Range(1, 255).Select(i => (byte)i).ToArray();
        RandomNumberGenerator.Shuffle(xs.AsSpan());

        var result = new byte[shares][];
        for (var i = 0; i < shares; i++)
        {
            result[i] = new byte[secret.Length + 1];
            result[i][secret.Length] = xs[i];
        }

        var coefficients = new byte[threshold];
        for (var b = 0; b < secret.Length; b++)
        {
            RandomNumberGenerator.Fill(coefficients);
            coefficients[0] = secret[b];
            for (var i = 0; i < shares; i++) result[i][b] = Evaluate(coefficients, xs[i]);
        }
        CryptographicOperations.ZeroMemory(coefficients);
        return result;
    }

    /// <summary>Recombines at least threshold shares; fewer (or wrong) shares give a wrong secret, not an error.</summary>
    public static byte[] Combine(IReadOnlyList<byte[]> shares)
    {
        if (shares.Count < 1) throw new ArgumentException("no shares", nameof(shares));
        var length = shares[0].Length;
        if (length < 2) throw new ArgumentException("shares must be at least two bytes", nameof(shares));
        var xs = new byte[shares.Count];
        for (var i = 0; i < shares.Count; i++)
        {
            if (shares[i].Length != length) throw new ArgumentException("all shares must be the same length", nameof(shares));
            xs[i] = shares[i][length - 1];
            for (var j = 0; j < i; j++)
                if (xs[j] == xs[i]) throw new ArgumentException("duplicate share detected", nameof(shares));
        }

        var secret = new byte[length - 1];
        var ys = new byte[shares.Count];
        for (var b = 0; b < secret.Length; b++)
        {
            for (var i = 0; i < shares.Count; i++) ys[i] = shares[i][b];
            secret[b] = InterpolateAtZero(xs, ys);
        }
        return secret;
    }

    private static byte Evaluate(byte[] coefficients, byte x)
    {
        // Horner's rule from the highest degree down.
        byte y = 0;
        for (var i = coefficients.Length - 1; i >= 0; i--) y = (byte)(Multiply(y, x) ^ coefficients[i]);
        return y;
    }

    private static byte InterpolateAtZero(byte[] xs, byte[] ys)
    {
        byte result = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            byte basis = 1;
            for (var j = 0; j < xs.Length; j++)
            {
                if (i == j) continue;
                // In GF(2^8) subtraction is xor: basis *= (0 - x_j) / (x_i - x_j).
                basis = Multiply(basis, Divide(xs[j], (byte)(xs[i] ^ xs[j])));
            }
            result ^= Multiply(ys[i], basis);
        }
        return result;
    }

    internal static byte Multiply(byte a, byte b)
    {
        // Carry-less multiplication reduced by the AES polynomial x^8 + x^4 + x^3 + x + 1.
        var product = 0;
        int x = a, y = b;
        for (var i = 0; i < 8; i++)
        {
            product ^= -(y & 1) & x;
            y >>= 1;
            x <<= 1;
            x ^= -((x >> 8) & 1) & 0x11B;
        }
        return (byte)product;
    }

    internal static byte Divide(byte a, byte b)
    {
        if (b == 0) throw new DivideByZeroException();
        return Multiply(a, Inverse(b));
    }

    private static byte Inverse(byte a)
    {
        // a^254 = a^-1 in GF(2^8).
        byte result = 1, power = a;
        for (var e = 254; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) result = Multiply(result, power);
            power = Multiply(power, power);
        }
        return result;
    }
}
