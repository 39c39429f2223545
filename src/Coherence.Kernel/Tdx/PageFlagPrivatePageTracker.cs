namespace Coherence.Kernel.Tdx;

/// <summary>
/// Option 3 of the seed: a flag bit in each page's <c>struct page</c> (a hypothetical PG_tdx_private). In a kernel
/// the memmap already exists, so the flag costs no extra memory, only a page-flag bit that mm is trying to free
/// up; the model has to allocate the 64-byte-per-page array itself (64 GiB for a 4 TiB host), and
/// <see cref="MemoryBytes"/> reports that array. O(1) mark, clear and query; reset must visit every page's flags.
/// </summary>
public sealed class PageFlagPrivatePageTracker : IPrivatePageTracker
{
    /// <summary>The flag bit used (a free bit in the model's flags word).</summary>
    public const int PgTdxPrivate = 27;

    private const ulong Bit = 1UL << PgTdxPrivate;
    private readonly StructPage[] pages;
    private long count;

    /// <summary>Creates a memmap of <paramref name="pageCount"/> zeroed pages.</summary>
    public PageFlagPrivatePageTracker(ulong pageCount)
    {
        if (pageCount == 0 || pageCount > (ulong)Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), $"{pageCount} pages: must be 1 to {Array.MaxLength}");
        }
        PageCount = pageCount;
        pages = new StructPage[pageCount];
    }

    /// <summary>Bytes the model's memmap for <paramref name="pageCount"/> pages takes.</summary>
    public static long BytesFor(ulong pageCount) => (long)pageCount * StructPage.Size;

    /// <inheritdoc/>
    public string Name => "page flag";

    /// <inheritdoc/>
    public ulong PageCount { get; }

    /// <inheritdoc/>
    public long PrivateCount => count;

    /// <inheritdoc/>
    public long MemoryBytes => (long)pages.LongLength * StructPage.Size;

    /// <summary>What the flag adds in a real kernel, where the memmap exists anyway: nothing.</summary>
    public static long MarginalKernelBytes => 0;

    /// <inheritdoc/>
    public bool Mark(ulong pfn)
    {
        ref var f = ref pages[Check(pfn)].Flags;
        if ((f & Bit) != 0)
        {
            return false;
        }
        f |= Bit;
        count++;
        return true;
    }

    /// <inheritdoc/>
    public bool Clear(ulong pfn)
    {
        ref var f = ref pages[Check(pfn)].Flags;
        if ((f & Bit) == 0)
        {
            return false;
        }
        f &= ~Bit;
        count--;
        return true;
    }

    /// <inheritdoc/>
    public bool IsPrivate(ulong pfn) => (pages[Check(pfn)].Flags & Bit) != 0;

    /// <inheritdoc/>
    public IEnumerable<ulong> EnumeratePrivate()
    {
        for (long i = 0; i < pages.LongLength; i++)
        {
            if ((pages[i].Flags & Bit) != 0)
            {
                yield return (ulong)i;
            }
        }
    }

    /// <inheritdoc/>
    public long ResetAll(Action<ulong>? reset = null)
    {
        long n = 0;
        for (long i = 0; i < pages.LongLength; i++)
        {
            ref var f = ref pages[i].Flags;
            if ((f & Bit) != 0)
            {
                reset?.Invoke((ulong)i);
                f &= ~Bit;
                n++;
            }
        }
        count = 0;
        return n;
    }

    private long Check(ulong pfn)
    {
        if (pfn >= PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn 0x{pfn:x} is past the last page 0x{PageCount - 1:x}");
        }
        return (long)pfn;
    }
}
