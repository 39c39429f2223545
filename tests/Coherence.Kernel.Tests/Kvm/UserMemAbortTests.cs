using Coherence.Kernel.Boot;
using Coherence.Kernel.Kvm;
using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>Each branch of user_mem_abort under each kvm-s2 policy.</summary>
public class UserMemAbortTests
{
    private const Arm64CpuFeatures FwbDic = Arm64CpuFeatures.Fwb | Arm64CpuFeatures.Dic;

    public static TheoryData<KvmS2Policy> Policies => new(KvmS2Policies.All);

    public static TheoryData<KvmS2Policy, Arm64CpuFeatures> PoliciesAndFeatures
    {
        get
        {
            var data = new TheoryData<KvmS2Policy, Arm64CpuFeatures>();
            foreach (var p in KvmS2Policies.All)
            {
                for (int f = 0; f < 8; f++)
                {
                    data.Add(p, (Arm64CpuFeatures)f);
                }
            }

            return data;
        }
    }

    private static Stage2Pte Mapped(Stage2FaultResult r)
    {
        Assert.True(r.Outcome == Stage2FaultOutcome.Mapped, r.ToString());
        Assert.Equal(Errno.Ok, r.Return);
        return r.Pte!;
    }

    [Theory]
    [MemberData(nameof(PoliciesAndFeatures))]
    public void Ram_is_normal_write_back_in_every_policy(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        var f = KvmFixture.With(policy, features, KvmFixture.Ram);
        bool fwb = features.HasFlag(Arm64CpuFeatures.Fwb);
        bool dic = features.HasFlag(Arm64CpuFeatures.Dic);
        var r = f.Fault(Stage2Access.Read, page: 3);
        var pte = Mapped(r);
        Assert.Equal(fwb ? Stage2MemAttr.FwbNormal : Stage2MemAttr.Normal, pte.MemAttr);
        Assert.Equal(KvmFixture.RamPfn + 3, pte.Pfn);
        Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W | (dic ? KvmPgtableProt.X : 0), pte.Prot);
        Assert.Equal(!fwb, r.DcacheCleanedToPoc);
        Assert.False(r.IcacheInvalidated);
        Assert.Equal(Arm64MemoryType.NormalWB, f.Vm.EffectiveType(KvmFixture.Gpa + (3 * Vma.PageSize), Arm64MemoryType.NormalWB));
    }

    [Theory]
    [MemberData(nameof(PoliciesAndFeatures))]
    public void Exec_fault_on_ram_maps_executable_and_invalidates_the_icache_without_dic(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        var f = KvmFixture.With(policy, features, KvmFixture.Ram);
        var r = f.Fault(Stage2Access.Exec);
        Assert.True(Mapped(r).Prot.HasFlag(KvmPgtableProt.X));
        Assert.Equal(!features.HasFlag(Arm64CpuFeatures.Dic), r.IcacheInvalidated);
    }

    [Theory]
    [MemberData(nameof(PoliciesAndFeatures))]
    public void Vfio_bar_is_device_before_6_8_and_normal_nc_from_6_8(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        var f = KvmFixture.With(policy, features, KvmFixture.VfioBar);
        bool fwb = features.HasFlag(Arm64CpuFeatures.Fwb);
        var r = f.Fault(Stage2Access.Write);
        var pte = Mapped(r);
        Assert.False(r.DcacheCleanedToPoc);
        Assert.False(pte.Prot.HasFlag(KvmPgtableProt.X));
        var guestWc = pte.EffectiveType(Arm64MemoryType.NormalNC);
        if (policy == KvmS2Policy.Pre68)
        {
            Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W | KvmPgtableProt.Device, pte.Prot);
            Assert.Equal(fwb ? Stage2MemAttr.FwbDeviceNGnRE : Stage2MemAttr.DeviceNGnRE, pte.MemAttr);
            Assert.Equal(Arm64MemoryType.DeviceNGnRE, guestWc); // spec 6.4: write combining lost
        }
        else
        {
            Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W | KvmPgtableProt.NormalNC, pte.Prot);
            Assert.Equal(fwb ? Stage2MemAttr.FwbNormalNC : Stage2MemAttr.NormalNC, pte.MemAttr);
            Assert.Equal(Arm64MemoryType.NormalNC, guestWc);
        }

        // The guest can still ask for a stricter Device type, and never gets a cacheable one.
        Assert.Equal(Arm64MemoryType.DeviceNGnRnE, pte.EffectiveType(Arm64MemoryType.DeviceNGnRnE));
        Assert.False(pte.EffectiveType(Arm64MemoryType.NormalWB).IsCacheable());
    }

    [Theory]
    [MemberData(nameof(PoliciesAndFeatures))]
    public void Mmio_without_allow_any_uncached_is_device_in_every_policy(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        var f = KvmFixture.With(policy, features, KvmFixture.PlainMmio);
        var pte = Mapped(f.Fault(Stage2Access.Read));
        Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W | KvmPgtableProt.Device, pte.Prot);
        Assert.Equal(Arm64MemoryType.DeviceNGnRE, pte.MemAttr.Type);
        Assert.Equal(features.HasFlag(Arm64CpuFeatures.Fwb), pte.MemAttr.Fwb);
    }

    [Theory]
    [MemberData(nameof(PoliciesAndFeatures))]
    public void Cacheable_pfnmap(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        var f = KvmFixture.With(policy, features, KvmFixture.CacheableDevice);
        var r = f.Fault(Stage2Access.Read);
        bool fwbDic = features.HasFlag(Arm64CpuFeatures.Fwb) && features.HasFlag(Arm64CpuFeatures.Dic);
        if (policy != KvmS2Policy.V617)
        {
            // Before 6.17 the VMA was not asked: Device, a mismatched alias of host-cacheable memory (spec 6.4).
            Assert.Equal(Arm64MemoryType.DeviceNGnRE, Mapped(r).EffectiveType(Arm64MemoryType.NormalWB));
        }
        else if (!fwbDic)
        {
            Assert.Equal(Stage2FaultOutcome.Error, r.Outcome);
            Assert.Equal(Errno.EFAULT, r.Return);
            Assert.Null(f.Vm.Stage2EntryAt(KvmFixture.Gpa));
        }
        else
        {
            var pte = Mapped(r);
            Assert.Equal(Stage2MemAttr.FwbNormal, pte.MemAttr);
            Assert.True(pte.Prot.HasFlag(KvmPgtableProt.X)); // DIC
            Assert.False(r.DcacheCleanedToPoc);              // no VA, and FWB makes it unnecessary
            Assert.Equal(Arm64MemoryType.NormalWB, pte.EffectiveType(Arm64MemoryType.NormalWB));
            Assert.Equal(Arm64MemoryType.NormalWB, pte.EffectiveType(Arm64MemoryType.DeviceNGnRE));
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Cacheable_mixedmap_of_device_memory_in_6_17_needs_fwb_and_dic_too(KvmS2Policy policy)
    {
        var cacheableMixed = (VmFlags.Read | VmFlags.Write | VmFlags.MixedMap, PgProt.Normal, false);
        var f = KvmFixture.With(policy, Arm64CpuFeatures.Fwb, cacheableMixed);
        var r = f.Fault(Stage2Access.Read);
        if (policy == KvmS2Policy.V617)
        {
            Assert.Equal(Errno.EFAULT, r.Return);
        }
        else
        {
            Assert.Equal(Arm64MemoryType.DeviceNGnRE, Mapped(r).MemAttr.Type);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Non_pfnmap_vma_of_unmapped_memory_is_device_only_before_6_17(KvmS2Policy policy)
    {
        var odd = (VmFlags.Read | VmFlags.Write, PgProt.Normal, false);
        var f = KvmFixture.With(policy, Arm64CpuFeatures.None, odd);
        var pte = Mapped(f.Fault(Stage2Access.Read));
        Assert.Equal(policy == KvmS2Policy.V617 ? Stage2MemAttr.Normal : Stage2MemAttr.DeviceNGnRE, pte.MemAttr);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Exec_fault_on_noncacheable_memory_is_enoexec(KvmS2Policy policy)
    {
        foreach (var kind in new[] { KvmFixture.VfioBar, KvmFixture.PlainMmio })
        {
            var f = KvmFixture.With(policy, FwbDic, kind);
            var r = f.Fault(Stage2Access.Exec);
            Assert.Equal(Stage2FaultOutcome.InjectedInstructionAbort, r.Outcome);
            Assert.Equal(Errno.ENOEXEC, r.Return);
            Assert.Empty(f.Vm.Stage2Entries);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Hwpoison_sends_sigbus_and_returns_zero(KvmS2Policy policy)
    {
        var f = KvmFixture.With(policy, FwbDic, KvmFixture.Ram);
        f.Host.Poison(KvmFixture.RamPfn + 2);
        var r = f.Fault(Stage2Access.Read, page: 2);
        Assert.Equal(Stage2FaultOutcome.SigBus, r.Outcome);
        Assert.Equal(Errno.Ok, r.Return);
        Assert.Null(r.Pte);
        Mapped(f.Fault(Stage2Access.Read, page: 1));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Error_pfn_missing_vma_and_write_to_read_only_vma_are_efault(KvmS2Policy policy)
    {
        var failing = new KvmFixture(policy, FwbDic);
        failing.AddSlot();
        failing.Mmap(KvmFixture.Ram, faultinFails: true);
        Assert.Equal(Errno.EFAULT, failing.Fault(Stage2Access.Read).Return);

        var noVma = new KvmFixture(policy, FwbDic);
        noVma.AddSlot();
        Assert.Equal(Errno.EFAULT, noVma.Fault(Stage2Access.Read).Return);

        var readOnly = new KvmFixture(policy, FwbDic);
        readOnly.AddSlot();
        readOnly.Host.Mmap(new Vma(KvmFixture.Hva, KvmFixture.Size, VmFlags.Read, PgProt.Normal, KvmFixture.RamPfn));
        Assert.Equal(Errno.EFAULT, readOnly.Fault(Stage2Access.Write).Return);
        Assert.False(Mapped(readOnly.Fault(Stage2Access.Read)).Prot.HasFlag(KvmPgtableProt.W));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Racing_invalidation_retries_without_mapping(KvmS2Policy policy)
    {
        var f = KvmFixture.With(policy, FwbDic, KvmFixture.Ram);
        var r = f.Fault(Stage2Access.Read, race: true);
        Assert.Equal(Stage2FaultOutcome.Retry, r.Outcome);
        Assert.Equal(Errno.Ok, r.Return);
        Assert.Empty(f.Vm.Stage2Entries);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Mte_vm_needs_mte_allowed_for_cacheable_mappings_only(KvmS2Policy policy)
    {
        var ram = KvmFixture.With(policy, FwbDic, KvmFixture.Ram, mte: true);
        Assert.Equal(Errno.EFAULT, ram.Fault(Stage2Access.Read).Return);

        var tagged = KvmFixture.With(policy, FwbDic, KvmFixture.Ram, VmFlags.MteAllowed, mte: true);
        var taggedFault = tagged.Fault(Stage2Access.Read);
        Mapped(taggedFault);
        Assert.Contains("5. sanitise MTE tags", taggedFault.Steps);

        var mmio = KvmFixture.With(policy, FwbDic, KvmFixture.PlainMmio, mte: true);
        Assert.Equal(Arm64MemoryType.DeviceNGnRE, Mapped(mmio.Fault(Stage2Access.Read)).MemAttr.Type);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Dirty_logging_maps_read_faults_read_only_then_a_write_relaxes(KvmS2Policy policy)
    {
        var f = KvmFixture.With(policy, Arm64CpuFeatures.None, KvmFixture.Ram, slotFlags: KvmMemFlags.LogDirtyPages);
        var read = Mapped(f.Fault(Stage2Access.Read));
        Assert.Equal(KvmPgtableProt.R, read.Prot);

        var relax = f.Fault(Stage2Access.Write, permission: true);
        Assert.Equal(Stage2FaultOutcome.PermissionsRelaxed, relax.Outcome);
        Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W, relax.Pte!.Prot);
        Assert.Equal(read.MemAttr, relax.Pte.MemAttr);

        var relaxExec = f.Fault(Stage2Access.Exec, permission: true);
        Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W | KvmPgtableProt.X, relaxExec.Pte!.Prot);
        Assert.True(relaxExec.IcacheInvalidated);

        Assert.Equal(KvmPgtableProt.R | KvmPgtableProt.W, Mapped(f.Fault(Stage2Access.Write, page: 1)).Prot);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Ipa_outside_memslots_and_writes_to_read_only_slots_are_mmio(KvmS2Policy policy)
    {
        var f = KvmFixture.With(policy, FwbDic, KvmFixture.Ram, slotFlags: KvmMemFlags.ReadOnly);
        Assert.Equal(Stage2FaultOutcome.Mmio, f.Vm.HandleStage2Fault(new Stage2FaultRequest(0x1000, Stage2Access.Read)).Outcome);
        Assert.Equal(Stage2FaultOutcome.Mmio, f.Fault(Stage2Access.Write).Outcome);
        Assert.False(Mapped(f.Fault(Stage2Access.Read)).Prot.HasFlag(KvmPgtableProt.W));
    }

    [Fact]
    public void Set_prot_attr_table()
    {
        var p = KvmPgtableProt.R | KvmPgtableProt.W;
        foreach (bool fwb in new[] { false, true })
        {
            Assert.Equal(Errno.Ok, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.X, fwb, out var normal));
            Assert.Equal(Arm64MemoryType.NormalWB, normal.Type ?? Arm64Stage2.Combine(Arm64MemoryType.NormalNC, normal));
            Assert.Equal(Errno.Ok, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.Device, fwb, out var dev));
            Assert.Equal(Arm64MemoryType.DeviceNGnRE, dev.Type);
            Assert.Equal(Errno.Ok, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.NormalNC, fwb, out var nc));
            Assert.Equal(Arm64MemoryType.NormalNC, nc.Type);
            Assert.All(new[] { dev, nc, normal }, a => Assert.Equal(fwb, a.Fwb));
            Assert.Equal(Errno.EINVAL, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.Device | KvmPgtableProt.X, fwb, out _));
            Assert.Equal(Errno.EINVAL, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.NormalNC | KvmPgtableProt.X, fwb, out _));
            Assert.Equal(Errno.EINVAL, KvmPgtable.Stage2SetProtAttr(p | KvmPgtableProt.NormalNC | KvmPgtableProt.Device, fwb, out _));
        }

        KvmPgtable.Stage2SetProtAttr(KvmPgtableProt.R, true, out var forced);
        Assert.Equal(Stage2AttrKind.ForceWriteBack, forced.Kind);
    }
}
