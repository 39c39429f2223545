using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Platform.Tests.Isa;

/// <summary>The AArch64 CPU interface: memory types from stage 1 and stage 2, non-cacheable accesses that do not
/// snoop, Device faults, gathering, DC maintenance to the points of coherence and persistence.</summary>
public class Arm64CpuTests
{
    private const ulong X = TestPlatform.Pmem + 0x1000;
    private const ulong Alias = 0x7000_0000_0000;

    private static byte[] Bytes(int n, byte first = 1) => [.. Enumerable.Range(0, n).Select(i => (byte)(first + i))];

    private static ulong Load64(Arm64Cpu cpu, ulong va)
    {
        var b = new byte[8];
        Assert.Equal(AccessOutcome.Ok, cpu.Load(va, b));
        return BitConverter.ToUInt64(b);
    }

    /// <summary>Gives <paramref name="cpu"/> an alias of the page of <see cref="X"/> at <see cref="Alias"/>.</summary>
    private static Arm64Cpu WithAlias(TestPlatform p, int cpu, Arm64MemoryType type)
    {
        var c = p.Machine.Arm64[cpu];
        c.Stage1.Map(Alias, X, 4096, type);
        return c;
    }

    [Fact]
    public void Normal_wb_accesses_are_coherent_through_the_caches()
    {
        var p = new TestPlatform();
        Assert.Equal(AccessOutcome.Ok, p.Machine.Arm64[0].Store(X, BitConverter.GetBytes(0x1122334455667788UL)));
        Assert.Equal(0x1122334455667788UL, Load64(p.Machine.Arm64[1], X));
        Assert.Equal(0UL, p.Media64(X));                  // still only in the caches
        Assert.Equal(0, p.Machine.Arm64[0].WriteTransactions);
        p.AssertCoherenceInvariants();
    }

    [Theory]
    [InlineData(Arm64MemoryType.NormalNC)]
    [InlineData(Arm64MemoryType.DeviceGRE)]
    [InlineData(Arm64MemoryType.DeviceNGnRE)]
    [InlineData(Arm64MemoryType.DeviceNGnRnE)]
    public void A_non_cacheable_load_reads_memory_and_misses_a_dirty_line(Arm64MemoryType type)
    {
        var p = new TestPlatform();
        p.Machine.Arm64[0].Store(X, BitConverter.GetBytes(42UL));        // dirty in cpu0's L1
        var nc = WithAlias(p, 1, type);
        Assert.Equal(0UL, Load64(nc, Alias));                             // memory's value, not the dirty line
        Assert.Equal(42UL, Load64(p.Machine.Arm64[1], X));                // the cacheable view sees the line
        Assert.Equal(1, nc.ReadTransactions);
    }

    [Fact]
    public void A_non_cacheable_store_writes_memory_and_leaves_the_cached_copy_stale()
    {
        var p = new TestPlatform();
        var cached = p.Machine.Arm64[0];
        Assert.Equal(0UL, Load64(cached, X));                             // cpu0 caches the line
        var nc = WithAlias(p, 1, Arm64MemoryType.DeviceNGnRE);
        Assert.Equal(AccessOutcome.Ok, nc.Store(Alias, BitConverter.GetBytes(7UL)));
        Assert.Equal(7UL, p.Media64(X));
        Assert.Equal(0UL, Load64(cached, X));                             // the stale cached copy
        Assert.NotEmpty(p.Machine.WhereCached(X));
    }

    [Theory]
    [InlineData(Arm64MemoryType.NormalNC, 1)]
    [InlineData(Arm64MemoryType.DeviceGRE, 1)]
    [InlineData(Arm64MemoryType.DeviceNGRE, 8)]
    [InlineData(Arm64MemoryType.DeviceNGnRE, 8)]
    [InlineData(Arm64MemoryType.DeviceNGnRnE, 8)]
    [InlineData(Arm64MemoryType.NormalWB, 0)]
    public void A_64_byte_run_is_one_gathered_write_or_eight_device_writes(Arm64MemoryType type, int transactions)
    {
        var p = new TestPlatform();
        var cpu = WithAlias(p, 0, type);
        Assert.Equal(AccessOutcome.Ok, cpu.StoreSequence(Alias, Bytes(64)));
        Assert.Equal(transactions, cpu.WriteTransactions);
        var seen = new byte[64];
        p.Machine.PeekCoherent(X, seen, default);
        Assert.Equal(Bytes(64), seen);
    }

    [Fact]
    public void Gathered_writes_wait_in_a_write_combining_buffer_until_dsb()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        var cpu = WithAlias(p, 0, Arm64MemoryType.NormalNC);
        cpu.Store(Alias, BitConverter.GetBytes(5UL));
        cpu.Store(Alias + 8, BitConverter.GetBytes(6UL));
        Assert.Equal(0UL, p.Media64(X));
        Assert.Equal(1, cpu.WriteTransactions);
        cpu.Dmb();
        Assert.Equal(0UL, p.Media64(X));                                  // DMB completes nothing
        cpu.Dsb(Arm64BarrierKind.Loads);
        Assert.Equal(0UL, p.Media64(X));                                  // nor does DSB LD
        cpu.Dsb(Arm64BarrierKind.Stores);
        Assert.Equal(5UL, p.Media64(X));
        Assert.Equal(6UL, p.Media64(X + 8));
    }

    [Theory]
    [InlineData(Arm64MemoryType.DeviceGRE)]
    [InlineData(Arm64MemoryType.DeviceNGnRE)]
    public void Device_memory_faults_on_unaligned_accesses_and_dc_zva(Arm64MemoryType type)
    {
        var p = new TestPlatform();
        var cpu = WithAlias(p, 0, type);
        Assert.Equal(AccessOutcome.AlignmentFault, cpu.Store(Alias + 3, Bytes(4)));
        Assert.Equal(AccessOutcome.AlignmentFault, cpu.Load(Alias + 4, new byte[8]));
        Assert.Equal(AccessOutcome.AlignmentFault, cpu.DcZva(Alias + 0x40));
        Assert.Equal(AccessOutcome.Ok, cpu.Store(Alias + 4, Bytes(4)));
        Assert.Equal(0UL, p.Media64(X + 0x40));
        Assert.Equal(0UL, p.Media64(X) & 0xFFFFFFFF);                    // the faulting store wrote nothing
    }

    [Fact]
    public void Normal_nc_allows_unaligned_accesses_and_dc_zva()
    {
        var p = new TestPlatform();
        var cpu = WithAlias(p, 0, Arm64MemoryType.NormalNC);
        p.Machine.DeviceWrite(X + 0x40, Bytes(64, 0x80));
        Assert.Equal(AccessOutcome.Ok, cpu.Store(Alias + 0x3d, Bytes(8)));   // crosses a line
        Assert.Equal(AccessOutcome.Ok, cpu.DcZva(Alias + 0x50));
        cpu.Dsb();
        var media = new byte[72];
        p.Machine.ReadMedia(X + 0x38, media, default);
        Assert.Equal(Bytes(3, 1), media.AsSpan(5, 3).ToArray());
        Assert.All(media.AsSpan(8, 64).ToArray(), b => Assert.Equal(0, b));  // DC ZVA zeroed the block, over the store's tail
    }

    [Fact]
    public void Dc_zva_on_write_back_memory_zeroes_the_block_in_the_cache()
    {
        var p = new TestPlatform();
        p.Machine.DeviceWrite(X, Bytes(64));
        var cpu = p.Machine.Arm64[0];
        Assert.Equal(AccessOutcome.Ok, cpu.DcZva(X + 17));
        Assert.Equal(0UL, Load64(p.Machine.Arm64[1], X + 8));
        Assert.Equal(Bytes(8), BitConverter.GetBytes(p.Media64(X)));     // not yet written back
    }

    [Fact]
    public void Dc_cvac_writes_back_and_keeps_the_line_while_dc_civac_invalidates()
    {
        var p = new TestPlatform();
        var cpu = p.Machine.Arm64[0];
        cpu.Store(X, BitConverter.GetBytes(9UL));
        Assert.Equal(AccessOutcome.Ok, cpu.DcCvac(X + 5));
        Assert.Equal(9UL, p.Media64(X));
        Assert.Contains(p.Machine.WhereCached(X), c => !c.State.IsDirty());
        cpu.Store(X, BitConverter.GetBytes(10UL));
        Assert.Equal(AccessOutcome.Ok, cpu.DcCivac(X));
        Assert.Equal(10UL, p.Media64(X));
        Assert.Empty(p.Machine.WhereCached(X));
    }

    [Fact]
    public void Dc_ivac_discards_dirty_data_on_the_host_but_cleans_in_a_guest()
    {
        var p = new TestPlatform();
        var host = p.Machine.Arm64[0];
        host.Store(X, BitConverter.GetBytes(9UL));
        Assert.Equal(AccessOutcome.Ok, host.DcIvac(X));
        Assert.Empty(p.Machine.WhereCached(X));
        Assert.Equal(0UL, p.Media64(X));                                  // the dirty data is gone
        host.Store(X, BitConverter.GetBytes(10UL));
        var guest = p.Machine.Arm64[1];
        guest.Stage2 = new Arm64Stage2Table();
        guest.Stage2.Set(0x4000_0000, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.Normal, Stage2Permissions.Read | Stage2Permissions.Write));
        Assert.Equal(AccessOutcome.Ok, guest.DcIvac(0x4000_0000 + (X & 0xFFF)));
        Assert.Empty(p.Machine.WhereCached(X));
        Assert.Equal(10UL, p.Media64(X));                                 // executed as DC CIVAC
    }

    [Fact]
    public void Dc_on_a_non_cacheable_alias_cleans_the_cacheable_copy()
    {
        var p = new TestPlatform();
        p.Machine.Arm64[0].Store(X, BitConverter.GetBytes(42UL));
        var nc = WithAlias(p, 1, Arm64MemoryType.NormalNC);
        Assert.Equal(AccessOutcome.Ok, nc.DcCvac(Alias));
        Assert.Equal(42UL, Load64(nc, Alias));
    }

    [Fact]
    public void Without_adr_dc_cvac_reaches_only_the_point_of_coherence_and_dc_cvap_the_media()
    {
        var p = new TestPlatform(PersistenceDomain.None, chooser: new LazyChooser());
        var cpu = p.Machine.Arm64[0];
        cpu.Store(X, BitConverter.GetBytes(1UL));
        cpu.Store(X + 0x40, BitConverter.GetBytes(2UL));
        cpu.DcCvac(X);
        cpu.DcCvap(X + 0x40);
        cpu.Dsb();
        Assert.Equal(1, p.Nvdimm.PendingLines);                          // X waits in the write-pending queue
        Assert.Equal(0UL, p.Media64(X));
        Assert.Equal(2UL, p.Media64(X + 0x40));
        p.Machine.PowerFail();
        Assert.Equal(0UL, p.Media64(X));
        Assert.Equal(2UL, p.Media64(X + 0x40));
    }

    [Fact]
    public void Dc_cvap_on_a_line_already_cleaned_to_the_queue_pushes_it_to_the_media()
    {
        var p = new TestPlatform(PersistenceDomain.None, chooser: new LazyChooser());
        var cpu = p.Machine.Arm64[0];
        cpu.Store(X, BitConverter.GetBytes(3UL));
        cpu.DcCvac(X);
        Assert.Equal(0UL, p.Media64(X));
        cpu.DcCvap(X);                                                    // the line is clean: only the queue moves
        Assert.Equal(3UL, p.Media64(X));
        Assert.Equal(0, p.Nvdimm.PendingLines);
    }

    [Fact]
    public void Dc_cvap_is_undefined_without_dcpop()
    {
        var p = new TestPlatform(arm64: Arm64Features.Fwb | Arm64Features.Dic);
        var cpu = p.Machine.Arm64[0];
        cpu.Store(X, BitConverter.GetBytes(3UL));
        Assert.Equal(AccessOutcome.UndefinedInstruction, cpu.DcCvap(X));
        Assert.Equal(0UL, p.Media64(X));
        Assert.Equal(AccessOutcome.Ok, cpu.DcCvac(X));
        Assert.Equal(3UL, p.Media64(X));
    }

    [Fact]
    public void A_guest_access_without_a_stage_2_entry_aborts_to_the_hypervisor()
    {
        var p = new TestPlatform();
        var guest = p.Machine.Arm64[1];
        guest.Stage2 = new Arm64Stage2Table();
        const ulong ipa = 0x4000_0000;
        Assert.Equal(AccessOutcome.Stage2Fault, guest.Store(ipa + 8, BitConverter.GetBytes(1UL)));
        Assert.Equal(new Stage2Abort(ipa + 8, ipa + 8, Stage2Permissions.Write, Permission: false), guest.LastStage2Abort);
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.Normal, Stage2Permissions.Read));
        Assert.Equal(AccessOutcome.Stage2Fault, guest.Store(ipa + 8, BitConverter.GetBytes(1UL)));
        Assert.True(guest.LastStage2Abort!.Value.Permission);
        Assert.Equal(0UL, Load64(guest, ipa + (X & 0xFFF)));
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.Normal, Stage2Permissions.Read | Stage2Permissions.Write));
        Assert.Equal(AccessOutcome.Ok, guest.Store(ipa + (X & 0xFFF), BitConverter.GetBytes(5UL)));
        Assert.Equal(5UL, Load64(p.Machine.Arm64[0], X));
    }

    [Theory]
    [InlineData(Arm64MemoryType.NormalWB, 0x1, false, Arm64MemoryType.DeviceNGnRE)]   // pre-6.8 device: guest WB becomes Device
    [InlineData(Arm64MemoryType.NormalNC, 0x5, false, Arm64MemoryType.NormalNC)]      // 6.8 NC: guest WC stays NC
    [InlineData(Arm64MemoryType.NormalNC, 0x6, true, Arm64MemoryType.NormalWB)]       // FWB forced write-back
    [InlineData(Arm64MemoryType.DeviceNGnRnE, 0xF, false, Arm64MemoryType.DeviceNGnRnE)]
    public void Guest_accesses_use_the_combined_type(Arm64MemoryType stage1, byte memAttr, bool fwb, Arm64MemoryType effective)
    {
        var p = new TestPlatform();
        var guest = p.Machine.Arm64[1];
        guest.Stage2 = new Arm64Stage2Table();
        const ulong ipa = 0x4000_0000;
        guest.Stage1.Map(ipa, ipa, 4096, stage1);
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, new Stage2MemAttr(memAttr, fwb), Stage2Permissions.Read | Stage2Permissions.Write));
        Assert.Equal(AccessOutcome.Ok, guest.Translate(ipa, Stage2Permissions.Read, out var pa, out var type));
        Assert.Equal((X & ~0xFFFUL, effective), (pa, type));
        p.Machine.Arm64[0].Store(X & ~0xFFFUL, BitConverter.GetBytes(77UL));  // dirty on the host
        Assert.Equal(effective.IsCacheable() ? 77UL : 0UL, Load64(guest, ipa));
    }

    [Fact]
    public void Fetches_need_execute_permission_and_never_run_from_device_memory()
    {
        var p = new TestPlatform();
        var guest = p.Machine.Arm64[1];
        guest.Stage2 = new Arm64Stage2Table();
        const ulong ipa = 0x4000_0000;
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.Normal, Stage2Permissions.Read));
        Assert.Equal(AccessOutcome.Stage2Fault, guest.Fetch(ipa, out _));
        Assert.Equal(Stage2Permissions.Execute, guest.LastStage2Abort!.Value.Access);
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.Normal, Stage2Permissions.Read | Stage2Permissions.Execute));
        Assert.Equal(AccessOutcome.Ok, guest.Fetch(ipa, out _));
        Assert.Equal(AccessOutcome.AlignmentFault, guest.Fetch(ipa + 2, out _));
        guest.Stage2.Set(ipa, new Stage2Entry(X & ~0xFFFUL, Stage2MemAttr.DeviceNGnRE, Stage2Permissions.Read | Stage2Permissions.Execute));
        Assert.Equal(AccessOutcome.PermissionFault, guest.Fetch(ipa, out _));
    }

    [Fact]
    public void The_host_linear_map_is_write_back_except_for_reserved_ranges()
    {
        var p = new TestPlatform();
        var dev = p.Machine.AddDevice("bar0", DeviceKind.Dram, 1 << 20);
        p.Machine.AddResource("bar", 0x3_0000_0000, 1 << 20, ResourceKind.Reserved, dev, identityMap: false);
        var cpu = p.Machine.Arm64[0];
        Assert.Equal(AccessOutcome.Ok, cpu.Translate(X, Stage2Permissions.Read, out _, out var ram));
        Assert.Equal(Arm64MemoryType.NormalWB, ram);
        Assert.Equal(AccessOutcome.Ok, cpu.Translate(0x3_0000_0000, Stage2Permissions.Read, out _, out var bar));
        Assert.Equal(Arm64MemoryType.DeviceNGnRE, bar);
        Assert.Equal(AccessOutcome.PageFault, cpu.Load(0x5_0000_0000, new byte[8]));
    }

    [Fact]
    public void Clean_to_poc_physical_writes_back_without_translating()
    {
        var p = new TestPlatform();
        p.Machine.Arm64[0].Store(X, BitConverter.GetBytes(12UL));
        var guest = p.Machine.Arm64[1];
        guest.Stage2 = new Arm64Stage2Table();
        guest.CleanToPocPhysical(X & ~0xFFFUL, 4096);
        Assert.Equal(12UL, p.Media64(X));
    }

    [Fact]
    public void Accesses_report_themselves_in_the_trace()
    {
        var p = new TestPlatform();
        var log = new EventLog();
        p.Machine.Observer = log;
        var cpu = WithAlias(p, 0, Arm64MemoryType.DeviceNGnRE);
        cpu.Store(Alias, BitConverter.GetBytes(1UL));
        cpu.Store(Alias + 1, BitConverter.GetBytes(1UL));
        cpu.DcCvap(X);
        cpu.Dsb(Arm64BarrierKind.Stores);
        var f = new TraceFormatter(p.Machine);
        var lines = log.Events.Select(e => f.Format(e)).ToList();
        Assert.Contains(lines, l => l.Contains("STR 8 bytes at 0x100001000 (Device-nGnRE) straight to the device", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("uncached write line 0x100001000 (8 bytes) -> nmem0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("fault at 0x700000000001: AlignmentFault", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("DC CVAP line 0x100001000: clean to the point of persistence", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("DSB ST", StringComparison.Ordinal));
    }
}
