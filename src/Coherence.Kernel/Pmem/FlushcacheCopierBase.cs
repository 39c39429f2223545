using Coherence.Platform;

namespace Coherence.Kernel.Pmem;

/// <summary>
/// What every flushcache copier keeps the same way whatever the architecture: the variant, the first failed outcome,
/// the instruction count, the warnings, the ordinary memcpy (a run of cached stores per destination line, through
/// <see cref="StoreCached"/>) and the iterator walk (<see cref="FlushcacheCopiers.CopyFromIter"/>).
/// </summary>
public abstract class FlushcacheCopierBase : IFlushcacheCopier
{
    /// <summary>The line size the copies walk by.</summary>
    protected const int Line = 64;

    /// <summary>Starts a copier for <paramref name="variant"/> whose stores carry <paramref name="tenant"/>.</summary>
    protected FlushcacheCopierBase(FlushcacheVariant variant, string? tenant)
    {
        Variant = variant;
        Tenant = tenant;
    }

    /// <inheritdoc/>
    public FlushcacheVariant Variant { get; }

    /// <inheritdoc/>
    public AccessOutcome Outcome { get; private set; } = AccessOutcome.Ok;

    /// <inheritdoc/>
    public int Instructions { get; protected set; }

    /// <inheritdoc/>
    public List<string> Warnings { get; } = [];

    /// <summary>The tenant label of the stores the copies make.</summary>
    protected string? Tenant { get; }

    /// <inheritdoc/>
    public abstract void MemcpyFlushcache(ulong dst, ReadOnlySpan<byte> src, bool constantSize = false);

    /// <inheritdoc/>
    public abstract ulong CopyUserSegment(ulong dst, IovSegment segment);

    /// <inheritdoc/>
    public abstract void CleanCacheRange(ulong address, ulong size);

    /// <inheritdoc/>
    public ulong CopyFromIter(ulong dst, IovIter iter) => FlushcacheCopiers.CopyFromIter(this, dst, iter);

    /// <inheritdoc/>
    public void Memcpy(ulong dst, ReadOnlySpan<byte> src)
    {
        var done = 0;
        while (done < src.Length)
        {
            var a = dst + (ulong)done;
            var n = Math.Min(Line - (int)(a & (Line - 1)), src.Length - done);
            Note(StoreCached(a, src.Slice(done, n)));
            done += n;
        }
    }

    /// <summary>Ordinary stores of <paramref name="bytes"/> (within one line) at <paramref name="address"/>.</summary>
    protected abstract AccessOutcome StoreCached(ulong address, ReadOnlySpan<byte> bytes);

    /// <summary>Records one instruction (unless <paramref name="counted"/> is false) and keeps the first outcome that
    /// is not Ok.</summary>
    protected void Note(AccessOutcome outcome, bool counted = true)
    {
        if (counted)
        {
            Instructions++;
        }
        if (Outcome == AccessOutcome.Ok && outcome != AccessOutcome.Ok)
        {
            Outcome = outcome;
        }
    }
}
