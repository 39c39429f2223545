namespace Coherence.Kernel.Pmem;

/// <summary>The iov_iter kinds the model copies from.</summary>
public enum IovIterKind
{
    /// <summary>ITER_IOVEC / ITER_UBUF: user memory, copied with the uaccess routines; a segment may fault.</summary>
    UserIovec,

    /// <summary>ITER_KVEC: kernel virtual memory.</summary>
    Kvec,

    /// <summary>ITER_BVEC: pages (kmapped for the copy).</summary>
    Bvec,
}

/// <summary>One segment of an iterator: its bytes and, for user segments, where the first unreadable byte is.</summary>
/// <param name="Data">The segment's bytes.</param>
/// <param name="FaultAt">Index of the first byte whose read faults (user segments only); -1 when all are readable.</param>
public sealed record IovSegment(byte[] Data, int FaultAt = -1)
{
    /// <summary>Bytes that can be read before the fault.</summary>
    public int Readable => FaultAt < 0 ? Data.Length : Math.Min(FaultAt, Data.Length);
}

/// <summary>An iov_iter over <see cref="Segments"/>; <see cref="DataSource"/> is true for a write's source (ITER_SOURCE).</summary>
/// <param name="Kind">The iterator's kind.</param>
/// <param name="Segments">Its segments in order.</param>
/// <param name="DataSource">True when the iterator is a data source (required by copy_from_iter).</param>
public sealed record IovIter(IovIterKind Kind, IReadOnlyList<IovSegment> Segments, bool DataSource = true)
{
    /// <summary>Total bytes the iterator describes.</summary>
    public long Count => Segments.Sum(s => (long)s.Data.Length);

    /// <summary>One segment of <paramref name="kind"/>; <paramref name="faultAt"/> applies to user segments.</summary>
    public static IovIter Single(IovIterKind kind, byte[] data, int faultAt = -1)
    {
        if (faultAt >= 0 && kind != IovIterKind.UserIovec)
        {
            throw new ArgumentException($"a fault at byte {faultAt} needs a user iovec: {kind} segments are kernel memory and do not fault");
        }
        return new IovIter(kind, [new IovSegment(data, faultAt)]);
    }
}
