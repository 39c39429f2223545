namespace Coherence.Platform.TraceSim;

/// <summary>Replacement policy of a simulated cache (Dinero's <c>-lN-Trepl</c>).</summary>
public enum ReplacementKind : byte
{
    /// <summary>Least recently used (<c>l</c>).</summary>
    Lru = (byte)'l',

    /// <summary>First in, first out (<c>f</c>).</summary>
    Fifo = (byte)'f',

    /// <summary>Random (<c>r</c>); victims differ from Dinero's, whose generator is the C library's.</summary>
    Random = (byte)'r',
}

/// <summary>Write-allocate policy (Dinero's <c>-lN-Twalloc</c>).</summary>
public enum WriteAllocateKind : byte
{
    /// <summary>Always allocate on a write miss (<c>a</c>).</summary>
    Always = (byte)'a',

    /// <summary>Never allocate: write misses go around the cache (<c>n</c>).</summary>
    Never = (byte)'n',

    /// <summary>Allocate only when the write fills whole blocks, so nothing must be fetched (<c>f</c>).</summary>
    NoFetch = (byte)'f',
}

/// <summary>Write-back policy (Dinero's <c>-lN-Twback</c>).</summary>
public enum WriteBackKind : byte
{
    /// <summary>Write back: writes dirty the line (<c>a</c>).</summary>
    Always = (byte)'a',

    /// <summary>Write through: every write goes to the next level (<c>n</c>).</summary>
    Never = (byte)'n',

    /// <summary>Write back when no fetch is needed, else write through (<c>f</c>).</summary>
    NoFetch = (byte)'f',
}

/// <summary>Which stream a cache serves (Dinero's <c>u</c>, <c>i</c> and <c>d</c>).</summary>
public enum CacheRole : byte
{
    /// <summary>Unified instructions and data.</summary>
    Unified = 0,

    /// <summary>Instructions only.</summary>
    Instruction = 1,

    /// <summary>Data only.</summary>
    Data = 2,
}

/// <summary>
/// Parameters of one simulated cache, as Dinero IV's <c>-lN-T…</c> options give them. Sizes are powers of two; the
/// number of sets (size / (block size × associativity)) must be one too, because the platform cache indexes sets by
/// address bits.
/// </summary>
public sealed record CacheLevelConfig
{
    /// <summary>Capacity in bytes (<c>-lN-Tsize</c>).</summary>
    public required long SizeBytes { get; init; }

    /// <summary>Block (line) size in bytes (<c>-lN-Tbsize</c>).</summary>
    public required int BlockSize { get; init; }

    /// <summary>Sub-block size (<c>-lN-Tsbsize</c>); only equal to <see cref="BlockSize"/> is supported.</summary>
    public int SubBlockSize { get; init; }

    /// <summary>Associativity (<c>-lN-Tassoc</c>).</summary>
    public int Associativity { get; init; } = 1;

    /// <summary>Replacement policy (<c>-lN-Trepl</c>).</summary>
    public ReplacementKind Replacement { get; init; } = ReplacementKind.Lru;

    /// <summary>Write-allocate policy (<c>-lN-Twalloc</c>); ignored for instruction caches.</summary>
    public WriteAllocateKind WriteAllocate { get; init; } = WriteAllocateKind.Always;

    /// <summary>Write-back policy (<c>-lN-Twback</c>); ignored for instruction caches.</summary>
    public WriteBackKind WriteBack { get; init; } = WriteBackKind.Always;
}
