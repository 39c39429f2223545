using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Coherence.Platform.Caches;

/// <summary>
/// Least-recently-used replacement. The victim is the way of the set whose last use (hit or fill) is the oldest.
/// </summary>
/// <remarks>
/// Up to 16 ways (every cache of the model and most trace configurations) each set keeps the age of each way in one
/// 16-byte vector: a permutation of 0..ways-1 with 0 the most recently used. A use moves the way to age 0 and ages by
/// one every way that was younger; the victim is the way of age ways-1. Both are a few vector instructions whatever
/// the order of the ways, and the state is 16 bytes per set. With more ways, each slot keeps a stamp from one 64-bit
/// counter and the victim is the smallest stamp. Both orders are the same: among the ways used at least once (every
/// way, when a victim is asked for), age order is the reverse of last-use order.
/// </remarks>
public struct LruPolicy : IRankedReplacementPolicy
{
    /// <summary>The largest associativity kept as ages; more ways use stamps.</summary>
    internal const int MaxAgedWays = 16;

    /// <summary>Ages of the lanes beyond the set's ways: never younger than a way, never the victim.</summary>
    private const sbyte PadAge = sbyte.MaxValue;

    private sbyte[] ages;
    private ulong[] stamps;
    private ulong clock;
    private int ways;
    private int waysShift;
    private ulong waysReciprocal;
    private bool aged;

    /// <inheritdoc/>
    public void Initialise(int sets, int ways)
    {
        this.ways = ways;
        clock = 0;
        aged = ways <= MaxAgedWays;
        waysShift = BitOperations.IsPow2(ways) ? BitOperations.Log2((uint)ways) : -1;
        waysReciprocal = waysShift < 0 ? ulong.MaxValue / (ulong)ways + 1 : 0;
        if (aged)
        {
            ages = GC.AllocateUninitializedArray<sbyte>(sets * MaxAgedWays);
            stamps = [];
            // Every set starts with the same 16 ages (way w has age w; pad lanes PadAge): one vector, repeated. A
            // machine is built for every execution an exploration makes, so this fill is on its path.
            Span<sbyte> first = stackalloc sbyte[MaxAgedWays];
            for (var w = 0; w < MaxAgedWays; w++)
            {
                first[w] = w < ways ? (sbyte)w : PadAge;
            }
            MemoryMarshal.Cast<sbyte, Vector128<sbyte>>(ages.AsSpan()).Fill(Vector128.Create<sbyte>(first));
        }
        else
        {
            ages = [];
            stamps = new ulong[sets * ways];
        }
    }

    /// <inheritdoc/>
    public void OnHit(int slot) => Use(slot);

    /// <inheritdoc/>
    public void OnFill(int slot) => Use(slot);

    /// <inheritdoc/>
    public readonly ulong RankOf(int slot)
    {
        if (!aged)
        {
            return stamps[slot];
        }
        var set = SetOf(slot);
        return (ulong)(MaxAgedWays - ages[set * MaxAgedWays + slot - set * ways]);
    }

    /// <inheritdoc/>
    public readonly int Victim(int set)
    {
        if (aged)
        {
            ref var a = ref ages[set * MaxAgedWays];
            return Vector128.IsHardwareAccelerated ? OldestVector(ref a, ways) : OldestScalar(ref a, ways);
        }
        return SmallestStamp(stamps.AsSpan(set * ways, ways));
    }

    private void Use(int slot)
    {
        if (!aged)
        {
            stamps[slot] = ++clock;
            return;
        }
        var set = SetOf(slot);
        ref var a = ref ages[set * MaxAgedWays];
        var way = slot - set * ways;
        if (Vector128.IsHardwareAccelerated)
        {
            UseVector(ref a, way);
        }
        else
        {
            UseScalar(ref a, way, ways);
        }
    }

    /// <summary>slot / ways without a division: a shift for a power of two, else a multiply by the rounded-up
    /// reciprocal (exact for 32-bit operands).</summary>
    private readonly int SetOf(int slot) =>
        waysShift >= 0 ? slot >> waysShift : (int)Math.BigMul(waysReciprocal, (ulong)(uint)slot, out _);

    /// <summary>Moves <paramref name="way"/> to age 0 and ages the ways that were younger, in one 16-byte vector.</summary>
    /// <remarks>The way's age is taken from the loaded vector (a shuffle), not by reading its byte from memory: the
    /// previous use of the set has just stored the whole vector, and a narrower load of part of a recent wider store
    /// waits for the store to complete instead of being forwarded.</remarks>
    internal static void UseVector(ref sbyte set, int way)
    {
        var v = Vector128.LoadUnsafe(ref set);
        var age = Vector128.ShuffleNative(v, Vector128.Create((sbyte)way));
        // Ages are a permutation, so the only lane equal to the way's age is the way itself.
        Vector128.AndNot(v - Vector128.LessThan(v, age), Vector128.Equals(v, age)).StoreUnsafe(ref set);
    }

    /// <summary>As <see cref="UseVector"/>, one way at a time.</summary>
    internal static void UseScalar(ref sbyte set, int way, int ways)
    {
        var age = Unsafe.Add(ref set, way);
        for (var w = 0; w < ways; w++)
        {
            ref var a = ref Unsafe.Add(ref set, w);
            if (a < age)
            {
                a++;
            }
        }
        Unsafe.Add(ref set, way) = 0;
    }

    /// <summary>The way of age ways-1, in one 16-byte compare.</summary>
    internal static int OldestVector(ref sbyte set, int ways) =>
        BitOperations.TrailingZeroCount(Vector128.Equals(Vector128.LoadUnsafe(ref set), Vector128.Create((sbyte)(ways - 1))).ExtractMostSignificantBits());

    /// <summary>As <see cref="OldestVector"/>, one way at a time.</summary>
    internal static int OldestScalar(ref sbyte set, int ways)
    {
        for (var w = 0; w < ways; w++)
        {
            if (Unsafe.Add(ref set, w) == ways - 1)
            {
                return w;
            }
        }
        throw new InvalidOperationException("LRU ages are not a permutation");
    }

    /// <summary>The first way with the smallest stamp, found without branches on the stamps: they are in random order,
    /// so a compare-and-branch per way mispredicts about half the time. Stamps stay below 2^63 (one per access), so
    /// the sign of the difference is the comparison.</summary>
    private static int SmallestStamp(ReadOnlySpan<ulong> s)
    {
        var best = 0L;
        var bestStamp = s[0];
        for (var w = 1; w < s.Length; w++)
        {
            var stamp = s[w];
            var less = (long)(stamp - bestStamp) >> 63; // all ones when stamp < bestStamp
            best = (best & ~less) | (w & less);
            bestStamp = (bestStamp & ~(ulong)less) | (stamp & (ulong)less);
        }
        return (int)best;
    }
}
