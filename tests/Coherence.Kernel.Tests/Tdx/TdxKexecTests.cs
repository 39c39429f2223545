using Coherence.Kernel.Boot;
using Coherence.Kernel.Kexec;
using Coherence.Kernel.Notifiers;
using Coherence.Kernel.Tdx;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Devices;
using Coherence.Platform.Tdx;

namespace Coherence.Kernel.Tests.Tdx;

/// <summary>The TDX host, KVM's TDs and kexec under each tdx-kexec policy.</summary>
public class TdxKexecTests
{
    private const ulong Ram = 0x1_0000_0000;
    private const ulong RamSize = 1 << 20;
    private const ulong Page = Ram + 0x10000;

    private sealed record World(KernelModel Kernel, TdxHost Host, KvmTdx Kvm, KexecModel Kexec)
    {
        public Machine Machine => Kernel.Machine;
    }

    private static World Boot(TdxKexecPolicy policy, TdxCpuModel? model = TdxCpuModel.SapphireRapids, TdxReclaimPolicy reclaim = TdxReclaimPolicy.Upstream)
    {
        var m = new Machine(new PlatformConfig
        {
            CoresPerSocket = 2,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
            Tdx = model is { } md ? new TdxPlatform { Model = md } : null,
        });
        m.AddResource("ram0", Ram, RamSize, ResourceKind.SystemRam, m.AddDevice("dram0", DeviceKind.Dram, RamSize));
        var k = KernelModel.Boot(m);
        var host = new TdxHost(k, policy, reclaim);
        var kvm = new KvmTdx(k, host);
        return new World(k, host, kvm, new KexecModel(k, policy, host, kvm));
    }

    private static KvmTd RunningTd(World w)
    {
        Assert.Equal(Errno.Ok, w.Host.InitModule(0));
        Assert.Equal(Errno.Ok, w.Kvm.CreateTd("td0", 1, out var td));
        Assert.Equal(Errno.Ok, w.Kvm.AddPages(td!, Page, 0x2000));
        Assert.Equal(Errno.Ok, w.Kvm.TdWrite(td!, Page, "TD private data."u8));
        return td!;
    }

    private static bool HkidLineCached(World w, KvmTd td) =>
        w.Machine.WhereCached(KeyIds.With(Page, td.Hkid)).Any(c => c.State.IsDirty());

    [Fact]
    public void Module_init_without_a_tdx_platform_is_enodev()
    {
        var w = Boot(TdxKexecPolicy.Upstream, model: null);
        Assert.Equal(Errno.ENODEV, w.Host.InitModule(0));
        Assert.False(w.Host.ModuleInitialized);
    }

    [Fact]
    public void Module_init_covers_ram_with_one_tdmr_and_puts_the_pamt_at_the_top_written_through_the_global_key_id()
    {
        var w = Boot(TdxKexecPolicy.Upstream);
        Assert.Equal(Errno.Ok, w.Host.InitModule(0));
        Assert.True(w.Host.ModuleInitialized);
        Assert.Equal([(Ram, RamSize)], w.Host.Tdmrs);
        var pamt = w.Host.Pamt!.Value;
        Assert.Equal((Ram + RamSize - 4096, 4096UL), pamt);
        Assert.True(w.Host.CacheStateIncoherent[0]);
        Assert.False(w.Host.CacheStateIncoherent[1]);
        Assert.Contains(w.Machine.WhereCached(KeyIds.With(pamt.Start, w.Host.GlobalKeyId)), c => c.State.IsDirty());
        Assert.Equal(Errno.EBUSY, w.Host.InitModule(0));
    }

    [Theory]
    [InlineData(TdxInitFault.InitTdmrs, TdxCpuModel.SapphireRapids)]
    [InlineData(TdxInitFault.ConfigGlobalKeyId, TdxCpuModel.SapphireRapids)]
    [InlineData(TdxInitFault.InitTdmrs, TdxCpuModel.GraniteRapids)]
    public void A_failed_module_init_flushes_all_cpus_and_resets_the_pamt_on_erratum_platforms(TdxInitFault fault, TdxCpuModel model)
    {
        var w = Boot(TdxKexecPolicy.Upstream, model);
        var pamtStart = Ram + RamSize - 4096;
        Assert.Equal(Errno.EIO, w.Host.InitModule(0, fault));
        Assert.False(w.Host.ModuleInitialized);
        Assert.Null(w.Host.Pamt);
        Assert.Contains(w.Kernel.Log, l => l.Text.Contains("module initialization failed", StringComparison.Ordinal));
        for (var line = pamtStart; line < pamtStart + 4096; line += 64)
        {
            Assert.Empty(w.Machine.WhereCached(KeyIds.With(line, w.Host.GlobalKeyId)));
        }
        var ownedAfter = w.Machine.TdPrivateLines;
        if (model == TdxCpuModel.GraniteRapids && fault == TdxInitFault.InitTdmrs)
        {
            Assert.Equal(32, ownedAfter); // no reset without the erratum: the next ordinary write converts each line
        }
        else
        {
            Assert.Equal(0, ownedAfter);
        }
        // The kernel reuses the freed PAMT with a partial write: no poison.
        w.Machine.X86[0].StoreNonTemporal(pamtStart, "reused!!"u8);
        w.Machine.X86[0].Sfence();
        w.Machine.X86[0].Retire();
        Assert.Equal(AccessOutcome.Ok, w.Machine.X86[0].Load(pamtStart, new byte[64]));
        Assert.Empty(w.Machine.MachineChecks);
    }

    [Theory]
    [InlineData(TdxKexecPolicy.Upstream, TdxCpuModel.SapphireRapids, Errno.EOPNOTSUPP)]
    [InlineData(TdxKexecPolicy.Upstream, TdxCpuModel.EmeraldRapids, Errno.EOPNOTSUPP)]
    [InlineData(TdxKexecPolicy.Upstream, TdxCpuModel.GraniteRapids, Errno.Ok)]
    [InlineData(TdxKexecPolicy.SeedNotifier, TdxCpuModel.SapphireRapids, Errno.Ok)]
    [InlineData(TdxKexecPolicy.PamtOnly, TdxCpuModel.SapphireRapids, Errno.Ok)]
    [InlineData(TdxKexecPolicy.None, TdxCpuModel.SapphireRapids, Errno.Ok)]
    public void Kexec_load_is_refused_only_upstream_on_erratum_platforms_and_logged_once(TdxKexecPolicy policy, TdxCpuModel model, Errno expected)
    {
        var w = Boot(policy, model);
        Assert.Equal(expected, w.Kexec.Load(KexecKind.Crash));
        Assert.Equal(expected, w.Kexec.Load(KexecKind.Normal));
        Assert.Equal(expected == Errno.Ok, w.Kexec.CrashImageLoaded && w.Kexec.ImageLoaded);
        Assert.Equal(expected == Errno.Ok ? 0 : 1, w.Kernel.Log.Count(l => l.Text == "Not allowed on platform with tdx_pw_mce bug"));
    }

    [Theory]
    [InlineData(TdxKexecPolicy.Upstream, Errno.EOPNOTSUPP)]
    [InlineData(TdxKexecPolicy.SeedNotifier, Errno.Ok)]
    [InlineData(TdxKexecPolicy.PamtOnly, Errno.EOPNOTSUPP)]
    [InlineData(TdxKexecPolicy.None, Errno.EOPNOTSUPP)]
    public void Only_the_seed_has_a_memory_reset_chain(TdxKexecPolicy policy, Errno expected)
    {
        var w = Boot(policy);
        Assert.Equal(expected == Errno.Ok, w.Kvm.NotifierRegistered);
        Assert.Equal(expected, w.Host.RegisterMemoryResetNotifier(new NotifierBlock("other", (_, _, _) => NotifyResult.Ok)));
    }

    [Fact]
    public void Kvm_page_removal_flushes_the_hkid_lines_resets_the_page_and_forgets_it()
    {
        var w = Boot(TdxKexecPolicy.Upstream);
        var td = RunningTd(w);
        Assert.True(HkidLineCached(w, td));
        Assert.Equal(Errno.Ok, w.Kvm.RemovePages(td, Page, 0x1000, 0));
        Assert.False(HkidLineCached(w, td));
        Assert.False(td.Pages.IsPrivate(Page / 4096));
        Assert.Equal(0, w.Machine.TdOwnerOf(Page));
        Assert.Equal(td.Hkid, w.Machine.TdOwnerOf(Page + 0x1000));
        Assert.Equal(Errno.ENOENT, w.Kvm.RemovePages(td, Page, 0x1000, 0));
        Assert.Equal(Errno.EBUSY, w.Kvm.AddPages(td, Page + 0x1000, 0x1000));
        Assert.Equal(Errno.EINVAL, w.Kvm.AddPages(td, Page + 0x10, 0x1000));
        Assert.Equal(Errno.EINVAL, w.Kvm.TdWrite(td, Page, "x"u8));
    }

    [Theory]
    [InlineData(TdxKexecPolicy.Upstream, false)]
    [InlineData(TdxKexecPolicy.SeedNotifier, false)]
    [InlineData(TdxKexecPolicy.PamtOnly, false)]
    [InlineData(TdxKexecPolicy.None, true)]
    public void Normal_kexec_leaves_the_tds_dirty_hkid_line_in_cpu1s_cache_only_under_none(TdxKexecPolicy policy, bool stays)
    {
        var w = Boot(policy, TdxCpuModel.GraniteRapids);
        var td = RunningTd(w);
        Assert.Equal(Errno.Ok, w.Kexec.Load(KexecKind.Normal));
        Assert.Equal(Errno.Ok, w.Kexec.Execute(0, KexecKind.Normal));
        Assert.Equal(stays, HkidLineCached(w, td));
        Assert.Equal(1, w.Kexec.Generation);
        Assert.False(w.Host.ModuleInitialized);
        Assert.Equal([0, 1], w.Kernel.OnlineCpus);
        Assert.Throws<ArgumentException>(() => w.Kvm.Td("td0"));
    }

    [Theory]
    [InlineData(TdxKexecPolicy.Upstream)]
    [InlineData(TdxKexecPolicy.SeedNotifier)]
    [InlineData(TdxKexecPolicy.PamtOnly)]
    [InlineData(TdxKexecPolicy.None)]
    public void Crash_kexec_stops_other_cpus_by_nmi_without_wbinvd_under_every_policy(TdxKexecPolicy policy)
    {
        var w = Boot(policy, TdxCpuModel.GraniteRapids);
        var td = RunningTd(w);
        Assert.Equal(Errno.Ok, w.Kexec.Load(KexecKind.Crash));
        Assert.Equal(Errno.Ok, w.Kexec.Execute(0, KexecKind.Crash));
        Assert.True(HkidLineCached(w, td));
    }

    [Theory]
    [InlineData(TdxKexecPolicy.SeedNotifier, 0, 0)]
    [InlineData(TdxKexecPolicy.PamtOnly, 2 * 64, 0)]
    [InlineData(TdxKexecPolicy.None, 2 * 64, 64)]
    public void Crash_kexec_on_an_erratum_platform_resets_what_the_policy_knows_about_and_leaves_the_rest_private(TdxKexecPolicy policy, int tdLinesLeft, int pamtLinesLeft)
    {
        var w = Boot(policy);
        var td = RunningTd(w);
        Assert.Equal(Errno.Ok, w.Kexec.Load(KexecKind.Crash));
        Assert.Equal(Errno.Ok, w.Kexec.Execute(0, KexecKind.Crash));
        var tdLines = 0;
        for (var a = Page; a < Page + 0x2000; a += 64)
        {
            tdLines += w.Machine.TdOwnerOf(a) == td.Hkid ? 1 : 0;
        }
        var pamtLines = 0;
        for (var a = Ram + RamSize - 4096; a < Ram + RamSize; a += 64)
        {
            // TD-private in memory, or still dirty in a cache under the global KeyID (none never flushes cpu0)
            pamtLines += w.Machine.TdOwnerOf(a) != 0 || w.Machine.WhereCached(KeyIds.With(a, w.Host.GlobalKeyId)).Any(c => c.State.IsDirty()) ? 1 : 0;
        }
        Assert.Equal(tdLinesLeft, tdLines);
        Assert.Equal(pamtLinesLeft, pamtLines);
    }

    [Fact]
    public void A_failing_reset_notifier_prints_the_seeds_message_and_leaves_later_pages_private()
    {
        var w = Boot(TdxKexecPolicy.SeedNotifier);
        var td = RunningTd(w);
        w.Kvm.FailResetAfter = 1;
        w.Kexec.Load(KexecKind.Crash);
        w.Kexec.Execute(0, KexecKind.Crash);
        Assert.Contains(w.Kernel.Log, l => l.Text == "Failed to reset all TDX private pages.");
        Assert.Equal(0, w.Machine.TdOwnerOf(Page));
        Assert.Equal(td.Hkid, w.Machine.TdOwnerOf(Page + 0x1000));
        Assert.Equal(0, w.Machine.TdOwnerOf(Ram + RamSize - 4096)); // the PAMT reset still ran
    }

    [Fact]
    public void A_panic_without_a_crash_kernel_halts_and_a_kexec_without_an_image_is_einval()
    {
        var w = Boot(TdxKexecPolicy.Upstream);
        Assert.Equal(Errno.EINVAL, w.Kexec.Execute(0, KexecKind.Normal));
        Assert.Null(w.Kexec.Halted);
        Assert.Equal(Errno.EINVAL, w.Kexec.Execute(0, KexecKind.Crash));
        Assert.NotNull(w.Kexec.Halted);
    }

    [Fact]
    public void Upstream_flushes_a_flagged_cpu_from_kvms_reboot_path_and_clears_its_flag()
    {
        var w = Boot(TdxKexecPolicy.Upstream, TdxCpuModel.GraniteRapids);
        var td = RunningTd(w);
        Assert.True(w.Host.CacheStateIncoherent[1]);
        w.Kexec.RebootNotifiers.Call(1);
        Assert.False(w.Host.CacheStateIncoherent[1]);
        Assert.False(HkidLineCached(w, td));
    }

    [Theory]
    [InlineData(TdxReclaimPolicy.Upstream, false, false)]
    [InlineData(TdxReclaimPolicy.NoWbinvd, true, false)]
    [InlineData(TdxReclaimPolicy.NoReset, false, true)]
    [InlineData(TdxReclaimPolicy.None, true, true)]
    public void Page_removal_flushes_and_resets_as_the_reclaim_policy_says(TdxReclaimPolicy reclaim, bool lineLeft, bool owned)
    {
        var w = Boot(TdxKexecPolicy.Upstream, reclaim: reclaim);
        var td = RunningTd(w);
        Assert.Equal(Errno.Ok, w.Kvm.RemovePages(td, Page, 0x1000, 0));
        Assert.Equal(lineLeft, HkidLineCached(w, td));
        Assert.Equal(owned, w.Machine.TdOwnerOf(Page + 0x40) == td.Hkid);
        Assert.False(td.Pages.IsPrivate(Page / 4096));
    }

    [Theory]
    [InlineData(TdxReclaimPolicy.Upstream, false, 0)]
    [InlineData(TdxReclaimPolicy.NoWbinvd, true, 0)]
    [InlineData(TdxReclaimPolicy.NoReset, false, 32)]
    public void The_init_error_path_flushes_and_resets_the_pamt_as_the_reclaim_policy_says(TdxReclaimPolicy reclaim, bool cached, int owned)
    {
        var w = Boot(TdxKexecPolicy.Upstream, reclaim: reclaim);
        var pamt = Ram + RamSize - 4096;
        Assert.Equal(Errno.EIO, w.Host.InitModule(0, TdxInitFault.InitTdmrs));
        Assert.Equal(cached, w.Machine.WhereCached(KeyIds.With(pamt, w.Host.GlobalKeyId)).Any(c => c.State.IsDirty()));
        Assert.Equal(owned, w.Machine.TdPrivateLines);
    }

    [Fact]
    public void The_reset_quirk_does_nothing_without_the_erratum()
    {
        var w = Boot(TdxKexecPolicy.Upstream, TdxCpuModel.GraniteRapids);
        RunningTd(w);
        var before = w.Machine.TdPrivateLines;
        w.Host.QuirkResetPaddr(0, Page, 0x2000);
        Assert.Equal(before, w.Machine.TdPrivateLines);
    }
}
