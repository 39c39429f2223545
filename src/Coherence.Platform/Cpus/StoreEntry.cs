using Coherence.Platform.Addressing;

namespace Coherence.Platform.Cpus;

/// <summary>One store-buffer entry; a store never crosses a line (the CPU splits it).</summary>
public struct StoreEntry
{
    /// <summary>What the entry is.</summary>
    public StoreEntryKind Kind;

    /// <summary>The memory type of the store's mapping.</summary>
    public MemoryType Type;

    /// <summary>Bytes stored (1..64).</summary>
    public int Length;

    /// <summary>Physical address of the first byte (or of the line for flushes).</summary>
    public ulong Address;

    /// <summary>The origin id of the stored bytes.</summary>
    public uint Origin;

    /// <summary>The machine step that issued the entry.</summary>
    public long Step;

    /// <summary>The stored bytes (first <see cref="Length"/>).</summary>
    public LineBuffer Data;
}
