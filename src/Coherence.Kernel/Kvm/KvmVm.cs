using Coherence.Kernel.Boot;
using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Kvm;

/// <summary>
/// An arm64 VM: its memslots, its stage-2 leaf entries (one per 4 KiB guest page), and the stage-2 fault path
/// <c>user_mem_abort</c> of the host's <see cref="KvmS2Policy"/>.
/// </summary>
public sealed class KvmVm
{
    /// <summary>KVM_USER_MEM_SLOTS on arm64.</summary>
    public const int UserMemSlots = 512;

    private readonly SortedDictionary<int, KvmMemslot> slots = [];
    private readonly SortedDictionary<ulong, Stage2Pte> stage2 = [];

    internal KvmVm(KvmArm64 host, bool mte, int ipaBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ipaBits, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ipaBits, 52);
        Host = host;
        Mte = mte;
        IpaBits = ipaBits;
    }

    /// <summary>The host this VM runs on.</summary>
    public KvmArm64 Host { get; }

    /// <summary>KVM_CAP_ARM_MTE is enabled (<c>kvm_has_mte</c>).</summary>
    public bool Mte { get; }

    /// <summary>The IPA size in bits.</summary>
    public int IpaBits { get; }

    /// <summary><c>stage2_has_fwb</c>: the stage-2 tables use the FWB encodings (HCR_EL2.FWB=1).</summary>
    public bool UsesFwb => Host.Features.HasFlag(Arm64CpuFeatures.Fwb);

    /// <summary>The memslots by id.</summary>
    public IReadOnlyCollection<KvmMemslot> Memslots => slots.Values;

    /// <summary>The installed stage-2 entries, by guest frame.</summary>
    public IReadOnlyCollection<Stage2Pte> Stage2Entries => stage2.Values;

    /// <summary>The stage-2 entry for the page holding <paramref name="ipa"/>, or null.</summary>
    public Stage2Pte? Stage2EntryAt(ulong ipa) => stage2.GetValueOrDefault(ipa / Vma.PageSize);

    /// <summary>KVM_CHECK_EXTENSION on the VM file descriptor.</summary>
    public int CheckExtension(KvmCap cap) => Host.CheckExtension(cap, this);

    /// <summary>
    /// KVM_SET_USER_MEMORY_REGION: creates (size non-zero, new id), changes the flags of (same id, base, size and
    /// address) or deletes (size 0) a memslot. Generic checks: a bad slot id, unknown flags, unaligned size, guest
    /// address or host address, or a wrapping range: -EINVAL; deleting a slot that does not exist: -EINVAL; changing
    /// the size or host address of a slot, or its KVM_MEM_READONLY flag: -EINVAL; the same region again: 0 with no
    /// further checks; overlapping another slot: -EEXIST. Then
    /// <c>kvm_arch_prepare_memory_region</c>: beyond the IPA size: -EFAULT; for each VMA in the host range, an MTE VM
    /// with a VMA lacking VM_MTE_ALLOWED, a VM_PFNMAP VMA with dirty logging, and (6.17) a cacheable VM_PFNMAP VMA
    /// without FWB and DIC: -EINVAL. Moving a slot to a new guest address is not modelled
    /// (<see cref="NotSupportedException"/>).
    /// </summary>
    public Errno SetUserMemoryRegion(int slot, ulong guestPhysAddr, ulong memorySize, ulong userspaceAddr, KvmMemFlags flags = KvmMemFlags.None)
    {
        const ulong page = Vma.PageSize;
        if (slot is < 0 or >= UserMemSlots || (flags & ~(KvmMemFlags.LogDirtyPages | KvmMemFlags.ReadOnly)) != 0)
        {
            return Errno.EINVAL;
        }

        if (memorySize % page != 0 || guestPhysAddr % page != 0 || userspaceAddr % page != 0
            || guestPhysAddr + memorySize < guestPhysAddr || userspaceAddr + memorySize < userspaceAddr)
        {
            return Errno.EINVAL;
        }

        slots.TryGetValue(slot, out var old);
        if (memorySize == 0)
        {
            if (old is null)
            {
                return Errno.EINVAL;
            }

            slots.Remove(slot);
            Unmap(old);
            return Errno.Ok;
        }

        var created = new KvmMemslot(slot, guestPhysAddr / page, memorySize / page, userspaceAddr, flags);
        if (old is not null)
        {
            if (old.NPages != created.NPages || old.UserspaceAddr != userspaceAddr)
            {
                return Errno.EINVAL;
            }

            if (old.BaseGfn != created.BaseGfn)
            {
                throw new NotSupportedException("KVM_MR_MOVE is not modelled");
            }

            if (((old.Flags ^ flags) & KvmMemFlags.ReadOnly) != 0)
            {
                return Errno.EINVAL;
            }

            if (old.Flags == flags)
            {
                return Errno.Ok; // nothing to change: no arch checks run
            }
        }
        else if (slots.Values.Any(s => s.BaseGfn < created.BaseGfn + created.NPages && created.BaseGfn < s.BaseGfn + s.NPages))
        {
            return Errno.EEXIST;
        }

        var e = PrepareMemoryRegion(created);
        if (e != Errno.Ok)
        {
            return e;
        }

        slots[slot] = created;
        return Errno.Ok;
    }

    private Errno PrepareMemoryRegion(KvmMemslot slot)
    {
        if (slot.BaseGfn + slot.NPages > (1UL << IpaBits) / Vma.PageSize)
        {
            return Errno.EFAULT;
        }

        ulong end = slot.UserspaceAddr + (slot.NPages * Vma.PageSize);
        foreach (var vma in Host.VmasIntersecting(slot.UserspaceAddr, end))
        {
            if (Mte && !vma.Flags.HasFlag(VmFlags.MteAllowed))
            {
                return Errno.EINVAL;
            }

            if (vma.Flags.HasFlag(VmFlags.PfnMap))
            {
                if (slot.DirtyLogging)
                {
                    return Errno.EINVAL;
                }

                if (Host.Policy == KvmS2Policy.V617 && vma.PageProt.IsCacheable && !Host.SupportsCacheablePfnmap)
                {
                    return Errno.EINVAL;
                }
            }
        }

        return Errno.Ok;
    }

    private void Unmap(KvmMemslot slot)
    {
        foreach (var gfn in stage2.Keys.Where(slot.Contains).ToList())
        {
            stage2.Remove(gfn);
        }
    }

    /// <summary>
    /// A stage-2 abort: <c>kvm_handle_guest_abort</c>'s memslot lookup (no slot, or a write to a read-only slot, is
    /// MMIO), then <c>user_mem_abort</c> step by step as spec §4.2 lists it, with the memory-type choice of the
    /// host's <see cref="KvmS2Policy"/>.
    /// </summary>
    public Stage2FaultResult HandleStage2Fault(Stage2FaultRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var steps = new List<string>();
        ulong gfn = request.Ipa / Vma.PageSize;
        bool writeFault = request.Access == Stage2Access.Write;
        bool execFault = request.Access == Stage2Access.Exec;
        var slot = slots.Values.FirstOrDefault(s => s.Contains(gfn));
        if (slot is null || (writeFault && slot.Flags.HasFlag(KvmMemFlags.ReadOnly)))
        {
            steps.Add(slot is null ? "no memslot: io_mem_abort" : "write to a read-only memslot: io_mem_abort");
            return Done(Stage2FaultOutcome.Mmio, Errno.Ok);
        }

        // 1. Under the mmap lock: the VMA and what it says.
        ulong hva = slot.HvaOf(gfn);
        var vma = Host.FindVma(hva);
        if (vma is null)
        {
            steps.Add($"1. no VMA for hva 0x{hva:x}: -EFAULT");
            return Done(Stage2FaultOutcome.Error, Errno.EFAULT);
        }

        bool logging = slot.DirtyLogging;
        bool mteAllowed = vma.Flags.HasFlag(VmFlags.MteAllowed);
        bool vfioAllowAnyUc = vma.Flags.HasFlag(VmFlags.AllowAnyUncached);
        bool vmaCacheable = vma.PageProt.IsCacheable;
        steps.Add($"1. {vma}; logging={logging} mte_allowed={mteAllowed} vfio_allow_any_uc={vfioAllowAnyUc} is_vma_cacheable={vmaCacheable}");

        // 2. __kvm_faultin_pfn.
        ulong pfn = vma.PfnOf(hva);
        if (Host.IsPoisoned(pfn))
        {
            steps.Add($"2. pfn 0x{pfn:x} is HWPOISON: SIGBUS, return 0");
            return Done(Stage2FaultOutcome.SigBus, Errno.Ok);
        }

        if (vma.FaultinFails || (writeFault && !vma.Flags.HasFlag(VmFlags.Write)))
        {
            steps.Add("2. error pfn: -EFAULT");
            return Done(Stage2FaultOutcome.Error, Errno.EFAULT);
        }

        bool writable = vma.Flags.HasFlag(VmFlags.Write) && !slot.Flags.HasFlag(KvmMemFlags.ReadOnly);
        bool mapMemory = Host.PfnIsMapMemory(pfn);
        steps.Add($"2. pfn 0x{pfn:x} pfn_is_map_memory={mapMemory} writable={writable}");

        // 3. Noncacheable or not, by the policy.
        bool noncacheable = false;
        if (Host.Policy == KvmS2Policy.V617)
        {
            if ((vma.Flags & (VmFlags.PfnMap | VmFlags.MixedMap)) != 0 && !mapMemory)
            {
                if (vmaCacheable)
                {
                    if (!Host.SupportsCacheablePfnmap)
                    {
                        steps.Add("3. cacheable PFNMAP without FWB+DIC: -EFAULT");
                        return Done(Stage2FaultOutcome.Error, Errno.EFAULT);
                    }

                    steps.Add("3. cacheable PFNMAP with FWB+DIC: Normal-WB");
                }
                else
                {
                    noncacheable = true;
                    steps.Add("3. PFNMAP, VMA not cacheable: s2_force_noncacheable");
                }
            }
            else if (logging && !writeFault)
            {
                writable = false;
                steps.Add("3. dirty logging, read fault: not writable");
            }
        }
        else if (!mapMemory)
        {
            noncacheable = true;
            steps.Add("3. !pfn_is_map_memory: device");
        }
        else if (logging && !writeFault)
        {
            writable = false;
            steps.Add("3. dirty logging, read fault: not writable");
        }

        // 4. No execution from noncacheable memory.
        if (execFault && noncacheable)
        {
            steps.Add("4. exec fault on noncacheable memory: -ENOEXEC, inject instruction abort");
            return Done(Stage2FaultOutcome.InjectedInstructionAbort, Errno.ENOEXEC);
        }

        // 5. Under the fault lock.
        if (request.RacesWithInvalidation)
        {
            steps.Add("5. mmu_invalidate_seq changed: -EAGAIN, returned as 0");
            return Done(Stage2FaultOutcome.Retry, Errno.Ok);
        }

        if (Mte && !noncacheable)
        {
            if (!mteAllowed)
            {
                steps.Add("5. MTE VM, VMA without VM_MTE_ALLOWED: -EFAULT");
                return Done(Stage2FaultOutcome.Error, Errno.EFAULT);
            }

            steps.Add("5. sanitise MTE tags");
        }

        // 6. Permissions and memory type.
        var prot = KvmPgtableProt.R;
        if (writable)
        {
            prot |= KvmPgtableProt.W;
        }

        if (execFault)
        {
            prot |= KvmPgtableProt.X;
        }

        if (noncacheable)
        {
            prot |= Host.Policy != KvmS2Policy.Pre68 && vfioAllowAnyUc ? KvmPgtableProt.NormalNC : KvmPgtableProt.Device;
        }
        else if (Host.Features.HasFlag(Arm64CpuFeatures.Dic))
        {
            prot |= KvmPgtableProt.X;
        }

        steps.Add($"6. prot {prot}");

        // 7. Relax or map.
        if (request.PermissionFault && stage2.TryGetValue(gfn, out var existing))
        {
            var relaxed = existing with { Prot = existing.Prot | (prot & (KvmPgtableProt.R | KvmPgtableProt.W | KvmPgtableProt.X)) };
            stage2[gfn] = relaxed;
            steps.Add($"7. permission fault: relax to {relaxed.Prot}");
            return Done(Stage2FaultOutcome.PermissionsRelaxed, Errno.Ok, relaxed,
                icache: (relaxed.Prot & ~existing.Prot).HasFlag(KvmPgtableProt.X) && !Host.Features.HasFlag(Arm64CpuFeatures.Dic));
        }

        var e = KvmPgtable.Stage2SetProtAttr(prot, UsesFwb, out var attr);
        if (e != Errno.Ok)
        {
            steps.Add($"7. stage2_set_prot_attr: {e.ToKernelString()}");
            return Done(Stage2FaultOutcome.Error, e);
        }

        var pte = new Stage2Pte(gfn, pfn, prot, attr);
        stage2[gfn] = pte;
        bool cacheable = (prot & (KvmPgtableProt.Device | KvmPgtableProt.NormalNC)) == 0;
        bool dcache = cacheable && !UsesFwb;
        bool icache = prot.HasFlag(KvmPgtableProt.X) && !Host.Features.HasFlag(Arm64CpuFeatures.Dic);
        steps.Add($"7. map {attr}{(dcache ? ", clean dcache to PoC" : "")}{(icache ? ", invalidate icache" : "")}");
        return Done(Stage2FaultOutcome.Mapped, Errno.Ok, pte, dcache, icache);

        Stage2FaultResult Done(Stage2FaultOutcome outcome, Errno ret, Stage2Pte? entry = null, bool dcacheClean = false, bool icache = false) =>
            new() { Outcome = outcome, Return = ret, Pte = entry, DcacheCleanedToPoc = dcacheClean, IcacheInvalidated = icache, Steps = steps };
    }

    /// <summary>
    /// The effective memory type of a guest access to <paramref name="ipa"/> that the guest's own page tables map
    /// as <paramref name="stage1"/>; null when no stage-2 entry exists.
    /// </summary>
    public Arm64MemoryType? EffectiveType(ulong ipa, Arm64MemoryType stage1) => Stage2EntryAt(ipa)?.EffectiveType(stage1);
}
