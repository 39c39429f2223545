using Coherence.Kernel.Boot;
using Coherence.Kernel.Kvm;
using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>KVM_SET_USER_MEMORY_REGION checks, the KVM cap and the policy names.</summary>
public class KvmMemslotTests
{
    private const Arm64CpuFeatures FwbDic = Arm64CpuFeatures.Fwb | Arm64CpuFeatures.Dic;
    private const ulong Page = Vma.PageSize;

    public static TheoryData<KvmS2Policy> Policies => new(KvmS2Policies.All);

    [Theory]
    [MemberData(nameof(Policies))]
    public void Generic_argument_checks(KvmS2Policy policy)
    {
        var vm = new KvmArm64(policy, FwbDic).CreateVm();
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(0, 0x1000, 0x1800, 0x10000));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(0, 0x1800, 0x1000, 0x10000));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(0, 0x1000, 0x1000, 0x10800));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(-1, 0x1000, 0x1000, 0x10000));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(KvmVm.UserMemSlots, 0x1000, 0x1000, 0x10000));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(0, 0x1000, 0x1000, 0x10000, (KvmMemFlags)4));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(0, 0, 0, 0)); // delete of a slot that does not exist
        Assert.Empty(vm.Memslots);

        Assert.Equal(Errno.Ok, vm.SetUserMemoryRegion(0, 0x10000, 4 * Page, 0x100000));
        Assert.Equal(Errno.EEXIST, vm.SetUserMemoryRegion(1, 0x13000, 4 * Page, 0x200000));
        Assert.Equal(Errno.Ok, vm.SetUserMemoryRegion(1, 0x14000, 4 * Page, 0x200000));
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(1, 0x14000, 8 * Page, 0x200000)); // size change
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(1, 0x14000, 4 * Page, 0x300000)); // address change
        Assert.Equal(Errno.Ok, vm.SetUserMemoryRegion(1, 0x14000, 4 * Page, 0x200000, KvmMemFlags.LogDirtyPages));
        Assert.True(vm.Memslots.Single(s => s.Id == 1).DirtyLogging);
        Assert.Equal(Errno.EINVAL, vm.SetUserMemoryRegion(1, 0x14000, 4 * Page, 0x200000, KvmMemFlags.ReadOnly | KvmMemFlags.LogDirtyPages));
        Assert.Equal(Errno.Ok, vm.SetUserMemoryRegion(1, 0x14000, 4 * Page, 0x200000, KvmMemFlags.LogDirtyPages)); // unchanged
        Assert.Equal(Errno.EFAULT, vm.SetUserMemoryRegion(2, 1UL << 40, Page, 0x400000)); // beyond the 40-bit IPA
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Deleting_a_slot_unmaps_its_stage2_entries(KvmS2Policy policy)
    {
        var f = KvmFixture.With(policy, FwbDic, KvmFixture.Ram);
        f.Fault(Stage2Access.Read);
        Assert.Single(f.Vm.Stage2Entries);
        Assert.Equal(Errno.Ok, f.Vm.SetUserMemoryRegion(0, KvmFixture.Gpa, 0, KvmFixture.Hva));
        Assert.Empty(f.Vm.Stage2Entries);
        Assert.Empty(f.Vm.Memslots);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Mte_vm_refuses_a_vma_without_mte_allowed(KvmS2Policy policy)
    {
        var f = new KvmFixture(policy, FwbDic, mte: true);
        f.Mmap(KvmFixture.Ram);
        Assert.Equal(Errno.EINVAL, f.AddSlot());

        var ok = new KvmFixture(policy, FwbDic, mte: true);
        ok.Mmap(KvmFixture.Ram, VmFlags.MteAllowed);
        Assert.Equal(Errno.Ok, ok.AddSlot());
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Pfnmap_with_dirty_logging_is_einval(KvmS2Policy policy)
    {
        var f = new KvmFixture(policy, FwbDic);
        f.Mmap(KvmFixture.VfioBar);
        Assert.Equal(Errno.EINVAL, f.AddSlot(KvmMemFlags.LogDirtyPages));
        Assert.Equal(Errno.Ok, f.AddSlot());
        Assert.Equal(Errno.EINVAL, f.AddSlot(KvmMemFlags.LogDirtyPages)); // flags-only change
        Assert.False(f.Vm.Memslots.Single().DirtyLogging);

        var ram = new KvmFixture(policy, FwbDic);
        ram.Mmap(KvmFixture.Ram);
        Assert.Equal(Errno.Ok, ram.AddSlot(KvmMemFlags.LogDirtyPages));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Cacheable_pfnmap_memslot_needs_fwb_and_dic_from_6_17(KvmS2Policy policy)
    {
        for (int features = 0; features < 8; features++)
        {
            var set = (Arm64CpuFeatures)features;
            var f = new KvmFixture(policy, set);
            f.Mmap(KvmFixture.CacheableDevice);
            var expected = policy == KvmS2Policy.V617 && !set.SupportsCacheablePfnmap() ? Errno.EINVAL : Errno.Ok;
            Assert.Equal(expected, f.AddSlot());

            var uncached = new KvmFixture(policy, set);
            uncached.Mmap(KvmFixture.VfioBar);
            Assert.Equal(Errno.Ok, uncached.AddSlot());
        }
    }

    [Fact]
    public void Cacheable_pfnmap_cap()
    {
        for (int features = 0; features < 8; features++)
        {
            var set = (Arm64CpuFeatures)features;
            bool expected = set.HasFlag(Arm64CpuFeatures.Fwb) && set.HasFlag(Arm64CpuFeatures.Dic);
            Assert.Equal(expected, set.SupportsCacheablePfnmap());

            var host = new KvmArm64(KvmS2Policy.V617, set);
            Assert.Equal(-22, host.CheckExtension(KvmCap.ArmCacheablePfnmapSupported));
            Assert.Equal(expected ? 1 : 0, host.CreateVm().CheckExtension(KvmCap.ArmCacheablePfnmapSupported));

            foreach (var old in new[] { KvmS2Policy.Pre68, KvmS2Policy.V68 })
            {
                var oldHost = new KvmArm64(old, set);
                Assert.Equal(0, oldHost.CheckExtension(KvmCap.ArmCacheablePfnmapSupported));
                Assert.Equal(0, oldHost.CreateVm().CheckExtension(KvmCap.ArmCacheablePfnmapSupported));
            }
        }
    }

    [Theory]
    [InlineData("pre-6.8", KvmS2Policy.Pre68)]
    [InlineData("6.8", KvmS2Policy.V68)]
    [InlineData("6.17", KvmS2Policy.V617)]
    public void Policy_names_round_trip(string text, KvmS2Policy policy)
    {
        Assert.True(KvmS2Policies.TryParse(text, out var parsed));
        Assert.Equal(policy, parsed);
        Assert.Equal(text, policy.ToPolicyString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("6.9")]
    [InlineData("PRE-6.8")]
    public void Unknown_policy_names_are_refused(string text) => Assert.False(KvmS2Policies.TryParse(text, out _));

    [Fact]
    public void Pgprot_cacheability_follows_the_attr_index()
    {
        Assert.True(PgProt.Normal.IsCacheable);
        Assert.True(new PgProt(MairAttrIndx.NormalTagged).IsCacheable);
        Assert.False(PgProt.WriteCombine.IsCacheable);
        Assert.False(PgProt.Device.IsCacheable);
        Assert.False(PgProt.NonCached.IsCacheable);
        foreach (var i in Enum.GetValues<MairAttrIndx>())
        {
            Assert.Equal(new PgProt(i).IsCacheable, new PgProt(i).MemoryType.IsCacheable());
        }
    }
}
