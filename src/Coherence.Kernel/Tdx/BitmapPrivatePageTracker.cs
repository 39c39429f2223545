using System.Numerics;

namespace Coherence.Kernel.Tdx;

/// <summary>
/// Option 1 of the seed: one bit per RAM page, allocated up front ("number of total RAM pages / 8" bytes:
/// 128 MiB for a 4 TiB host). O(1) mark, clear and query; reset scans the whole bitmap a word at a time.
/// </summary>
public sealed class BitmapPrivatePageTracker : IPrivatePageTracker
{
    private readonly ulong[] words;
    private long count;

    /// <summary>Creates an empty bitmap for <paramref name="pageCount"/> pages.</summary>
    public BitmapPrivatePageTracker(ulong pageCount)
    {
        if (pageCount == 0 || pageCount > (ulong)Array.MaxLength * 64)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), $"{pageCount} pages: must be 1 to {(ulong)Array.MaxLength * 64}");
        }
        PageCount = pageCount;
        words = new ulong[(pageCount + 63) / 64];
    }

    /// <summary>Bytes a bitmap for <paramref name="pageCount"/> pages takes.</summary>
    public static long BytesFor(ulong pageCount) => (long)((pageCount + 63) / 64 * 8);

    /// <inheritdoc/>
    public string Name => "bitmap";

    /// <inheritdoc/>
    public ulong PageCount { get; }

    /// <inheritdoc/>
    public long PrivateCount => count;

    /// <inheritdoc/>
    public long MemoryBytes => (long)words.Length * 8;

    /// <inheritdoc/>
    public bool Mark(ulong pfn)
    {
        ref var w = ref words[Index(pfn)];
        var bit = 1UL << (int)(pfn & 63);
        if ((w & bit) != 0)
        {
            return false;
        }
        w |= bit;
        count++;
        return true;
    }

    /// <inheritdoc/>
    public bool Clear(ulong pfn)
    {
        ref var w = ref words[Index(pfn)];
        var bit = 1UL << (int)(pfn & 63);
        if ((w & bit) == 0)
        {
            return false;
        }
        w &= ~bit;
        count--;
        return true;
    }

    /// <inheritdoc/>
    public bool IsPrivate(ulong pfn) => (words[Index(pfn)] & (1UL << (int)(pfn & 63))) != 0;

    /// <inheritdoc/>
    public IEnumerable<ulong> EnumeratePrivate()
    {
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            while (w != 0)
            {
                yield return ((ulong)i << 6) + (ulong)BitOperations.TrailingZeroCount(w);
                w &= w - 1;
            }
        }
    }

    /// <inheritdoc/>
    public long ResetAll(Action<ulong>? reset = null)
    {
        long n = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            if (w == 0)
            {
                continue;
            }
            if (reset is not null)
            {
                var v = w;
                while (v != 0)
                {
                    reset(((ulong)i << 6) + (ulong)BitOperations.TrailingZeroCount(v));
                    v &= v - 1;
                }
            }
            n += BitOperations.PopCount(w);
            words[i] = 0;
        }
        count = 0;
        return n;
    }

    private long Index(ulong pfn)
    {
        if (pfn >= PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn 0x{pfn:x} is past the last page 0x{PageCount - 1:x}");
        }
        return (long)(pfn >> 6);
    }
}
