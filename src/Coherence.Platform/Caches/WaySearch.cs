using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Coherence.Platform.Caches;

/// <summary>How <see cref="WaySearch"/> compares the ways of one set, chosen once per cache from its associativity and
/// the host's vector support.</summary>
internal enum WaySearchKind : byte
{
    /// <summary>One way at a time (any associativity), stopping at the first match.</summary>
    Loop,

    /// <summary>Every way of the set compared without branches into a bit mask (at most 64 ways).</summary>
    Scalar,

    /// <summary>Four 64-bit tags per 256-bit compare (ways a multiple of 4, at most 64).</summary>
    Vector256,

    /// <summary>Eight 64-bit tags per 512-bit compare (ways a multiple of 8, at most 64).</summary>
    Vector512,
}

/// <summary>
/// The tag search of a set and the search for a free way, the two loops every cache access runs. The position of the
/// matching way is random, so a loop that stops at the match mispredicts its exit about once per search; the vector
/// rungs compare every way at once and take the first set bit of the mask. Rungs, best first: 512-bit, 256-bit,
/// scalar branch-free mask, plain loop; each has a test.
/// </summary>
internal static class WaySearch
{
    /// <summary>The best rung for <paramref name="ways"/> ways on this host.</summary>
    public static WaySearchKind Choose(int ways)
    {
        if (ways > 64)
        {
            return WaySearchKind.Loop;
        }
        if (Vector512.IsHardwareAccelerated && ways % 8 == 0)
        {
            return WaySearchKind.Vector512;
        }
        if (Vector256.IsHardwareAccelerated && ways % 4 == 0)
        {
            return WaySearchKind.Vector256;
        }
        return WaySearchKind.Scalar;
    }

    /// <summary>Whether <paramref name="kind"/> can run on this host with <paramref name="ways"/> ways.</summary>
    public static bool Supported(WaySearchKind kind, int ways) => kind switch
    {
        WaySearchKind.Loop => true,
        WaySearchKind.Scalar => ways <= 64,
        WaySearchKind.Vector256 => Vector256.IsHardwareAccelerated && ways % 4 == 0 && ways <= 64,
        _ => Vector512.IsHardwareAccelerated && ways % 8 == 0 && ways <= 64,
    };

    /// <summary>The index of the first of <paramref name="ways"/> tags from <paramref name="tags"/> equal to
    /// <paramref name="key"/>, or -1, searched as <paramref name="kind"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(WaySearchKind kind, ref ulong tags, int ways, ulong key)
    {
        ulong mask;
        switch (kind)
        {
            case WaySearchKind.Vector512:
                mask = Match512(ref tags, ways, key);
                break;
            case WaySearchKind.Vector256:
                mask = Match256(ref tags, ways, key);
                break;
            case WaySearchKind.Scalar:
                mask = MatchScalar(ref tags, ways, key);
                break;
            default:
                return Loop(ref tags, ways, key);
        }
        return mask == 0 ? -1 : BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>Bit i set when tag i equals <paramref name="key"/>; ways a multiple of 8, at most 64.</summary>
    public static ulong Match512(ref ulong tags, int ways, ulong key)
    {
        var k = Vector512.Create(key);
        var mask = Vector512.Equals(Vector512.LoadUnsafe(ref tags), k).ExtractMostSignificantBits();
        for (var w = 8; w < ways; w += 8)
        {
            mask |= Vector512.Equals(Vector512.LoadUnsafe(ref tags, (nuint)w), k).ExtractMostSignificantBits() << w;
        }
        return mask;
    }

    /// <summary>Bit i set when tag i equals <paramref name="key"/>; ways a multiple of 4, at most 64.</summary>
    public static ulong Match256(ref ulong tags, int ways, ulong key)
    {
        var k = Vector256.Create(key);
        ulong mask = Vector256.Equals(Vector256.LoadUnsafe(ref tags), k).ExtractMostSignificantBits();
        for (var w = 4; w < ways; w += 4)
        {
            mask |= (ulong)Vector256.Equals(Vector256.LoadUnsafe(ref tags, (nuint)w), k).ExtractMostSignificantBits() << w;
        }
        return mask;
    }

    /// <summary>Bit i set when tag i equals <paramref name="key"/>; at most 64 ways; no branch on the tags.</summary>
    public static ulong MatchScalar(ref ulong tags, int ways, ulong key)
    {
        ulong mask = 0;
        for (var w = 0; w < ways; w++)
        {
            mask |= (Unsafe.Add(ref tags, w) == key ? 1UL : 0UL) << w;
        }
        return mask;
    }

    /// <summary>The first tag equal to <paramref name="key"/>, or -1; any number of ways.</summary>
    public static int Loop(ref ulong tags, int ways, ulong key)
    {
        for (var w = 0; w < ways; w++)
        {
            if (Unsafe.Add(ref tags, w) == key)
            {
                return w;
            }
        }
        return -1;
    }
}
