using Coherence.Platform.Addressing;

namespace Coherence.Platform.Isa.Arm64;

/// <summary>Stage-2 access permissions of a leaf entry (S2AP and XN).</summary>
[Flags]
public enum Stage2Permissions : byte
{
    /// <summary>No access.</summary>
    None = 0,

    /// <summary>S2AP read.</summary>
    Read = 1 << 0,

    /// <summary>S2AP write.</summary>
    Write = 1 << 1,

    /// <summary>Not execute-never: instruction fetches allowed.</summary>
    Execute = 1 << 2,
}

/// <summary>A stage-2 leaf entry for one 4 KiB guest page.</summary>
/// <param name="PhysicalPage">The host physical address of the page.</param>
/// <param name="Attr">The descriptor's MemAttr together with HCR_EL2.FWB.</param>
/// <param name="Permissions">What the guest may do through it.</param>
public readonly record struct Stage2Entry(ulong PhysicalPage, Stage2MemAttr Attr, Stage2Permissions Permissions);

/// <summary>
/// A VM's stage-2 translation table as the hardware walks it: intermediate physical page → entry. The hypervisor
/// (the kernel layer's KVM) writes it; guest CPUs whose <see cref="Arm64Cpu.Stage2"/> points at it translate every
/// access through it, and an access with no entry or without the permission it needs is a stage-2 abort
/// (<see cref="AccessOutcome.Stage2Fault"/>) for the hypervisor to resolve. Only 4 KiB leaves: no block mappings.
/// </summary>
public sealed class Arm64Stage2Table
{
    /// <summary>The page size of entries.</summary>
    public const ulong PageSize = 4096;
    private readonly Dictionary<ulong, Stage2Entry> entries = [];

    /// <summary>Number of entries.</summary>
    public int Count => entries.Count;

    /// <summary>Every entry, keyed by intermediate physical page address, in no particular order.</summary>
    public IEnumerable<KeyValuePair<ulong, Stage2Entry>> Entries => entries;

    /// <summary>
    /// Installs or replaces the entry for the page holding <paramref name="ipa"/>. Throws when the physical address is
    /// not page aligned or the MemAttr encoding is reserved (the architecture makes such an entry's behaviour
    /// unpredictable; the model refuses it).
    /// </summary>
    public void Set(ulong ipa, Stage2Entry entry)
    {
        if (entry.PhysicalPage % PageSize != 0)
        {
            throw new ArgumentException($"stage-2 output address 0x{entry.PhysicalPage:x} is not 4 KiB aligned");
        }
        if (entry.Attr.Kind == Stage2AttrKind.Reserved)
        {
            throw new ArgumentException($"stage-2 MemAttr {entry.Attr} is reserved");
        }
        entries[ipa & ~(PageSize - 1)] = entry;
    }

    /// <summary>Removes the entry for the page holding <paramref name="ipa"/>; false when there is none.</summary>
    public bool Remove(ulong ipa) => entries.Remove(ipa & ~(PageSize - 1));

    /// <summary>Removes every entry.</summary>
    public void Clear() => entries.Clear();

    /// <summary>The entry for the page holding <paramref name="ipa"/>, if any.</summary>
    public bool TryGet(ulong ipa, out Stage2Entry entry) => entries.TryGetValue(ipa & ~(PageSize - 1), out entry);
}
