namespace Coherence.Kernel.Kvm;

/// <summary>
/// A host userspace mapping (<c>vm_area_struct</c>) of the VMM: [<see cref="Start"/>, <see cref="End"/>) maps PFNs
/// from <see cref="FirstPfn"/> on, linearly, with <see cref="Flags"/> and <see cref="PageProt"/>.
/// </summary>
public sealed class Vma
{
    /// <summary>The page size (4 KiB).</summary>
    public const ulong PageSize = 4096;

    /// <summary>Creates a VMA; start and length must be page aligned and the length non-zero.</summary>
    public Vma(ulong start, ulong length, VmFlags flags, PgProt pageProt, ulong firstPfn)
    {
        if (start % PageSize != 0 || length % PageSize != 0 || length == 0)
        {
            throw new ArgumentException($"VMA [0x{start:x}, +0x{length:x}) is not page aligned or is empty");
        }

        Start = start;
        Length = length;
        Flags = flags;
        PageProt = pageProt;
        FirstPfn = firstPfn;
    }

    /// <summary>First host virtual address.</summary>
    public ulong Start { get; }

    /// <summary>Length in bytes.</summary>
    public ulong Length { get; }

    /// <summary>One past the last address.</summary>
    public ulong End => Start + Length;

    /// <summary><c>vm_flags</c>.</summary>
    public VmFlags Flags { get; }

    /// <summary><c>vm_page_prot</c>.</summary>
    public PgProt PageProt { get; }

    /// <summary>The PFN mapped at <see cref="Start"/>.</summary>
    public ulong FirstPfn { get; }

    /// <summary>When true, <c>__kvm_faultin_pfn</c> returns an error PFN for this VMA (a failed GUP or follow_pfn).</summary>
    public bool FaultinFails { get; init; }

    /// <summary>True when <paramref name="hva"/> lies in the VMA.</summary>
    public bool Contains(ulong hva) => hva >= Start && hva < End;

    /// <summary>The PFN that <paramref name="hva"/> maps.</summary>
    public ulong PfnOf(ulong hva) => FirstPfn + ((hva - Start) / PageSize);

    /// <inheritdoc/>
    public override string ToString() => $"vma [0x{Start:x}-0x{End:x}) {Flags} {PageProt.AttrIndx} pfn 0x{FirstPfn:x}";
}
