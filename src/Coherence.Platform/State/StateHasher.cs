namespace Coherence.Platform.State;

/// <summary>
/// A 128-bit streaming hash for canonical machine and program states (two independent 64-bit lanes, each a
/// multiply-xorshift mix). Deterministic across runs and .NET versions; a collision would merge two states in an
/// exhaustive search, at odds of about 2^-64 per pair.
/// </summary>
public struct StateHasher
{
    private ulong a;
    private ulong b;

    /// <summary>Starts a hash.</summary>
    public StateHasher()
    {
        a = 0x243F6A8885A308D3UL;
        b = 0x13198A2E03707344UL;
    }

    /// <summary>Adds a 64-bit value.</summary>
    public void Add(ulong v)
    {
        a = Mix(a ^ v, 0x9E3779B97F4A7C15UL);
        b = Mix(b + v, 0xC2B2AE3D27D4EB4FUL);
    }

    /// <summary>Adds a signed value.</summary>
    public void Add(long v) => Add(unchecked((ulong)v));

    /// <summary>Adds bytes (length included, so concatenations differ).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        Add((ulong)bytes.Length);
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            Add(BitConverter.ToUInt64(bytes.Slice(i, 8)));
        }
        ulong tail = 0;
        for (var k = 0; i < bytes.Length; i++, k++)
        {
            tail |= (ulong)bytes[i] << (8 * k);
        }
        Add(tail);
    }

    /// <summary>
    /// Adds a sequence of 32-bit ids (a line's 64 byte origins): one value when they are all equal (the usual case:
    /// a line written by one store or one fill: the id and the count), else the ids two to a value. The form depends
    /// only on the ids, so equal sequences hash equal however the caller kept them; the one-value form (2^32 or more)
    /// cannot be taken for the byte length that starts the other.
    /// </summary>
    public void AddIds(ReadOnlySpan<uint> ids)
    {
        if (!ids.IsEmpty && ids.IndexOfAnyExcept(ids[0]) < 0)
        {
            Add(((ulong)ids.Length << 33) | (1UL << 32) | ids[0]);
            return;
        }
        Add(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids));
    }

    /// <summary>The hash so far.</summary>
    public readonly (ulong, ulong) Value => (Mix(a, 0xFF51AFD7ED558CCDUL), Mix(b, 0xC4CEB9FE1A85EC53UL));

    private static ulong Mix(ulong x, ulong k)
    {
        x *= k;
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9UL;
        return x ^ (x >> 32);
    }
}
