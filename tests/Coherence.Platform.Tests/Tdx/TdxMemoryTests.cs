using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;
using Coherence.Platform.Tdx;

namespace Coherence.Platform.Tests.Tdx;

/// <summary>TD-owned memory, KeyID aliases in the caches and the partial-write erratum (Machine.Tdx.cs).</summary>
public class TdxMemoryTests
{
    private const ulong Ram = 0x1_0000_0000;
    private const int Hkid = 40;

    private sealed class Recorder : IMachineObserver
    {
        public List<MachineEvent> Events { get; } = [];

        public void OnEvent(in MachineEvent e) => Events.Add(e);
    }

    private static Machine Create(TdxCpuModel model = TdxCpuModel.SapphireRapids, bool tdx = true)
    {
        var m = new Machine(new PlatformConfig
        {
            CoresPerSocket = 2,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
            Tdx = tdx ? new TdxPlatform { Model = model } : null,
        });
        var dram = m.AddDevice("dram0", DeviceKind.Dram, 1 << 20);
        m.AddResource("ram0", Ram, 1 << 20, ResourceKind.SystemRam, dram);
        return m;
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="cpu"/> through <paramref name="keyId"/>.</summary>
    private static void Through(Machine m, int cpu, int keyId, Action<Coherence.Platform.Isa.X86.X86Cpu> body)
    {
        var space = new AddressSpace($"k{keyId}");
        space.Map(Ram, KeyIds.With(Ram, keyId), 1 << 20, MemoryType.WriteBack);
        var core = m.Cpus[cpu];
        var saved = core.AddressSpace;
        core.AddressSpace = space;
        try
        {
            body(m.X86[cpu]);
        }
        finally
        {
            core.AddressSpace = saved;
        }
    }

    private static void MakePrivate(Machine m, ulong line, int cpu = 1)
    {
        var zero = new byte[64];
        Through(m, cpu, Hkid, x => x.DirectStore64(line, zero));
        m.X86[cpu].Retire();
    }

    [Fact]
    public void Key_ids_live_above_bit_46_and_strip_back_to_the_physical_address()
    {
        var a = KeyIds.With(0x1234_5678, 33);
        Assert.Equal(33, KeyIds.Of(a));
        Assert.Equal(0x1234_5678UL, KeyIds.Strip(a));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyIds.With(0, 64));
    }

    [Fact]
    public void A_full_line_write_through_a_private_key_id_makes_the_line_td_owned()
    {
        var m = Create();
        MakePrivate(m, Ram + 0x40);
        Assert.Equal(Hkid, m.TdOwnerOf(Ram + 0x40));
        Assert.Equal(0, m.TdOwnerOf(Ram + 0x80));
        Assert.Equal(1, m.TdPrivateLines);
    }

    [Fact]
    public void The_host_reads_a_td_private_line_as_zeros_and_the_td_reads_its_data()
    {
        var m = Create();
        MakePrivate(m, Ram);
        Through(m, 1, Hkid, x =>
        {
            x.Store(Ram, "secret"u8);
            x.Retire();
        });
        m.X86[1].Wbinvd();
        var data = new byte[6];
        var origins = new uint[6];
        Assert.Equal(AccessOutcome.Ok, m.X86[0].Load(Ram, data, origins));
        Assert.Equal(new byte[6], data);
        Assert.Equal(OriginKind.TdPrivate, m.Origins[origins[0]].Kind);
        Through(m, 1, Hkid, x => Assert.Equal(AccessOutcome.Ok, x.Load(Ram, data)));
        Assert.Equal("secret"u8.ToArray(), data);
    }

    [Fact]
    public void A_td_reading_a_line_it_does_not_own_consumes_poison()
    {
        var m = Create();
        var data = new byte[8];
        Through(m, 1, Hkid, x => Assert.Equal(AccessOutcome.MachineCheck, x.Load(Ram + 0x1000, data)));
        Assert.Single(m.MachineChecks);
    }

    [Theory]
    [InlineData(TdxCpuModel.SapphireRapids, true)]
    [InlineData(TdxCpuModel.EmeraldRapids, true)]
    [InlineData(TdxCpuModel.GraniteRapids, false)]
    public void A_partial_host_write_poisons_a_td_private_line_only_with_the_erratum(TdxCpuModel model, bool poisoned)
    {
        var m = Create(model);
        Assert.Equal(poisoned, m.Tdx!.PartialWriteErratum);
        MakePrivate(m, Ram);
        m.X86[0].StoreNonTemporal(Ram + 8, "movnti!!"u8);
        m.X86[0].Sfence();
        m.X86[0].Retire();
        Assert.Equal(0, m.TdOwnerOf(Ram));
        var data = new byte[16];
        var outcome = m.X86[0].Load(Ram, data);
        Assert.Equal(poisoned ? AccessOutcome.MachineCheck : AccessOutcome.Ok, outcome);
        Assert.Equal(poisoned ? 1 : 0, m.MachineChecks.Count);
        if (!poisoned)
        {
            Assert.Equal(new byte[8], data[..8]);
            Assert.Equal("movnti!!"u8.ToArray(), data[8..]);
        }
    }

    [Fact]
    public void An_uncached_store_and_a_partial_dma_poison_td_private_lines_on_an_erratum_platform()
    {
        var m = Create();
        MakePrivate(m, Ram);
        MakePrivate(m, Ram + 0x40);
        var uc = new AddressSpace("uc");
        uc.Map(Ram, Ram, 4096, MemoryType.Uncached);
        m.Cpus[0].AddressSpace = uc;
        m.X86[0].Store(Ram + 4, "ucst"u8);
        m.X86[0].Retire();
        m.Cpus[0].AddressSpace = m.DefaultSpace;
        m.DeviceWrite(Ram + 0x44, "dma!"u8);
        Assert.Equal(AccessOutcome.MachineCheck, m.X86[0].Load(Ram, new byte[4]));
        Assert.Equal(AccessOutcome.MachineCheck, m.X86[0].Load(Ram + 0x40, new byte[4]));
        Assert.Equal(2, m.MachineChecks.Count);
    }

    [Fact]
    public void A_full_line_dma_converts_a_td_private_line_without_poison()
    {
        var m = Create();
        MakePrivate(m, Ram);
        m.DeviceWrite(Ram, new byte[64]);
        Assert.Equal(0, m.TdOwnerOf(Ram));
        Assert.Equal(AccessOutcome.Ok, m.X86[0].Load(Ram, new byte[8]));
    }

    [Fact]
    public void A_full_line_direct_store_from_the_host_converts_the_line_back_without_poison()
    {
        var m = Create();
        MakePrivate(m, Ram);
        var line = new byte[64];
        line[0] = 0x5a;
        m.X86[0].DirectStore64(Ram, line);
        m.X86[0].Sfence();
        m.X86[0].Retire();
        Assert.Equal(0, m.TdOwnerOf(Ram));
        m.X86[0].StoreNonTemporal(Ram + 8, "partial!"u8);
        m.X86[0].Sfence();
        m.X86[0].Retire();
        var data = new byte[16];
        Assert.Equal(AccessOutcome.Ok, m.X86[0].Load(Ram, data));
        Assert.Equal(0x5a, data[0]);
        Assert.Empty(m.MachineChecks);
    }

    [Fact]
    public void Lines_of_one_page_under_two_key_ids_are_separate_cache_lines()
    {
        var m = Create();
        MakePrivate(m, Ram);
        Through(m, 1, Hkid, x =>
        {
            x.Store(Ram, "td"u8);
            x.Retire();
        });
        m.X86[1].Store(Ram + 0x10, "host"u8);
        m.X86[1].Retire();
        Assert.Contains(m.WhereCached(KeyIds.With(Ram, Hkid)), c => c.State.IsDirty());
        Assert.Contains(m.WhereCached(Ram), c => c.State != LineState.Invalid);
    }

    [Fact]
    public void Page_wbinvd_by_key_id_flushes_only_that_key_ids_lines()
    {
        var m = Create(TdxCpuModel.GraniteRapids);
        MakePrivate(m, Ram);
        Through(m, 1, Hkid, x =>
        {
            x.Store(Ram, "td"u8);
            x.Retire();
        });
        m.X86[0].Load(Ram + 0x800, new byte[1]);
        Assert.Equal(1, m.WbinvdPageKeyId(0, Ram + 0x123, Hkid));
        Assert.Empty(m.WhereCached(KeyIds.With(Ram, Hkid)));
        Assert.NotEmpty(m.WhereCached(Ram + 0x800));
        var media = new byte[2];
        m.ReadMedia(Ram, media, default);
        Assert.Equal("td"u8.ToArray(), media);
    }

    [Fact]
    public void A_stale_key_id_write_back_over_newer_data_is_reported_and_leaves_the_line_td_owned()
    {
        var m = Create(TdxCpuModel.GraniteRapids);
        var rec = new Recorder();
        m.Observer = rec;
        MakePrivate(m, Ram);
        Through(m, 1, Hkid, x =>
        {
            x.Store(Ram, "old TD data"u8);
            x.Retire();
        });
        m.DeviceWrite(Ram, "new kernel data"u8);
        Assert.Equal(0, m.TdOwnerOf(Ram));
        m.X86[1].Wbinvd();
        var e = Assert.Single(rec.Events, e => e.Kind == EventKind.OverwroteNewer);
        Assert.Equal(KeyIds.With(Ram, Hkid), e.Address);
        Assert.Equal(15, e.Detail);
        Assert.Equal(Hkid, m.TdOwnerOf(Ram));
    }

    [Fact]
    public void Erasing_the_device_forgets_td_ownership()
    {
        var m = Create();
        MakePrivate(m, Ram);
        m.EraseDevice(m.Device("dram0"));
        Assert.Equal(0, m.TdPrivateLines);
    }

    [Fact]
    public void Td_ownership_is_part_of_the_state_hash()
    {
        var a = Create();
        var b = Create();
        MakePrivate(a, Ram);
        b.X86[1].DirectStore64(Ram, new byte[64]);
        b.X86[1].Retire();
        var ha = new State.StateHasher();
        var hb = new State.StateHasher();
        a.HashState(ref ha);
        b.HashState(ref hb);
        Assert.NotEqual(ha.Value, hb.Value);
    }

    [Fact]
    public void Ranges_above_the_key_id_bits_are_refused_on_tdx_platforms_only()
    {
        var m = Create();
        var d = m.AddDevice("big", DeviceKind.Dram, 1 << 20);
        var e = Assert.Throws<ArgumentException>(() => m.AddResource("high", 1UL << 46, 1 << 20, ResourceKind.SystemRam, d));
        Assert.Contains("KeyID", e.Message, StringComparison.Ordinal);
        var plain = Create(tdx: false);
        plain.AddResource("high", 1UL << 46, 1 << 20, ResourceKind.SystemRam, plain.AddDevice("big", DeviceKind.Dram, 1 << 20));
    }

    [Fact]
    public void Page_wbinvd_needs_a_tdx_platform()
    {
        var m = Create(tdx: false);
        Assert.Throws<InvalidOperationException>(() => m.WbinvdPageKeyId(0, Ram, Hkid));
    }
}
