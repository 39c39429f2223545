using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Tests.Devices;

public class MemoryDeviceTests
{
    private static Machine NewMachine() => new(new PlatformConfig());

    [Fact]
    public void Untouched_lines_read_as_initial_fill_with_initial_origin()
    {
        var m = NewMachine();
        var d = m.AddDevice("d", DeviceKind.Nvdimm, 1 << 20, initialFill: 0xA5);
        var data = new byte[64];
        var origins = new uint[64];
        d.ReadMedia(4096, data, origins);
        Assert.All(data, b => Assert.Equal(0xA5, b));
        Assert.All(origins, o => Assert.Equal(OriginKind.Initial, m.Origins[o].Kind));
        Assert.Equal(0, d.StoredLines);
    }

    [Fact]
    public void Sixteen_TiB_device_costs_only_touched_lines()
    {
        var m = NewMachine();
        var d = m.AddDevice("big", DeviceKind.CxlType3, 16UL << 40);
        m.AddResource("big", 1UL << 44, 16UL << 40, ResourceKind.CxlWindow, d);
        m.DeviceWrite((1UL << 44) + (15UL << 40), [1, 2, 3]);
        Assert.Equal(1, d.StoredLines);
        Assert.True(d.StorageBytes < 1 << 20, $"storage {d.StorageBytes} bytes");
        var buf = new byte[3];
        m.ReadMedia((1UL << 44) + (15UL << 40), buf, default);
        Assert.Equal(new byte[] { 1, 2, 3 }, buf);
    }

    [Fact]
    public void Erase_is_a_new_epoch_and_old_lines_read_as_erased()
    {
        var m = NewMachine();
        var d = m.AddDevice("d", DeviceKind.Nvdimm, 1 << 20);
        m.AddResource("r", 0, 1 << 20, ResourceKind.PersistentMemory, d);
        m.DeviceWrite(128, [9, 9, 9, 9]);
        var erase = m.EraseDevice(d, fill: 0x00);
        var data = new byte[4];
        var origins = new uint[4];
        m.ReadMedia(128, data, origins);
        Assert.Equal(new byte[4], data);
        Assert.All(origins, o => Assert.Equal(erase, o));
        Assert.Equal(OriginKind.Erase, m.Origins[erase].Kind);
        Assert.Equal(1u, d.Epoch);
        // a write after the erase reuses the line's slot
        m.DeviceWrite(128, [1]);
        Assert.Equal(1, d.StoredLines);
    }

    [Theory]
    [InlineData(LockedReadMode.Poison)]
    [InlineData(LockedReadMode.AllOnes)]
    public void Locked_device_answers_reads_and_drops_writes(LockedReadMode mode)
    {
        var p = new TestPlatform();
        var m = p.Machine;
        var d = m.AddDevice("locked", DeviceKind.Nvdimm, 1 << 20, lockedReadMode: mode);
        m.AddResource("lk", 0x4_0000_0000, 1 << 20, ResourceKind.PersistentMemory, d);
        m.DeviceWrite(0x4_0000_0000, [5]);
        m.SetLocked(d, true);
        var data = new byte[8];
        var outcome = m.X86[0].Load(0x4_0000_0000, data);
        if (mode == LockedReadMode.Poison)
        {
            Assert.Equal(AccessOutcome.MachineCheck, outcome);
            Assert.Single(m.MachineChecks);
        }
        else
        {
            Assert.Equal(AccessOutcome.Ok, outcome);
            Assert.All(data, b => Assert.Equal(0xFF, b));
        }
        // a write-back while locked is dropped: media keeps 5
        m.X86[0].Wbinvd();
        p.Write64(0, 0x4_0000_0040, 77);
        m.X86[0].Wbinvd();
        m.SetLocked(d, false);
        Assert.Equal(5UL, p.Media64(0x4_0000_0000) & 0xFF);
        Assert.NotEqual(77UL, p.Media64(0x4_0000_0040));
    }

    [Fact]
    public void Poisoned_line_raises_machine_check_with_address_and_cpu()
    {
        var p = new TestPlatform();
        p.Machine.PoisonDeviceLine(p.Nvdimm, 0x200);
        var data = new byte[8];
        Assert.Equal(AccessOutcome.MachineCheck, p.Cpu(1).Load(TestPlatform.Pmem + 0x208, data));
        var mc = Assert.Single(p.Machine.MachineChecks);
        Assert.Equal(1, mc.Cpu);
        Assert.Equal(TestPlatform.Pmem + 0x208, mc.Address);
        Assert.Equal(OriginKind.Poison, p.Machine.Origins[mc.Origin].Kind);
        // a neighbouring line is fine
        Assert.Equal(AccessOutcome.Ok, p.Cpu(1).Load(TestPlatform.Pmem + 0x240, data));
    }

    [Fact]
    public void Full_line_write_clears_poison()
    {
        var p = new TestPlatform();
        p.Machine.PoisonDeviceLine(p.Nvdimm, 0x200);
        Assert.Equal(AccessOutcome.Ok, p.Cpu(0).DirectStore64(TestPlatform.Pmem + 0x200, new byte[64]));
        p.Machine.Quiesce();
        Assert.Equal(AccessOutcome.Ok, p.Cpu(1).Load(TestPlatform.Pmem + 0x200, new byte[8]));
    }

    [Fact]
    public void Mixed_origin_lines_round_trip_at_every_granularity()
    {
        var m = NewMachine();
        var d = m.AddDevice("d", DeviceKind.Nvdimm, 1 << 20);
        m.AddResource("r", 0, 1 << 20, ResourceKind.PersistentMemory, d);
        var a = m.DeviceWrite(0, new byte[64]);           // uniform
        var b = m.DeviceWrite(8, new byte[8]);            // word granularity
        var c = m.DeviceWrite(17, new byte[1]);           // byte granularity
        var origins = new uint[64];
        m.ReadMedia(0, new byte[64], origins);
        Assert.Equal(a, origins[0]);
        Assert.Equal(b, origins[8]);
        Assert.Equal(b, origins[15]);
        Assert.Equal(a, origins[16]);
        Assert.Equal(c, origins[17]);
        Assert.Equal(a, origins[18]);
        m.DeviceWrite(0, new byte[64]);
        m.ReadMedia(0, new byte[64], origins);
        Assert.Single(origins.Distinct());
    }

    [Fact]
    public void Bad_device_and_resource_configuration_names_the_value_and_changes_nothing()
    {
        var m = NewMachine();
        var d = m.AddDevice("d", DeviceKind.Dram, 1 << 20);
        Assert.Contains("0x3e8", Assert.Throws<ArgumentException>(() => m.AddDevice("e", DeviceKind.Dram, 1000)).Message);
        Assert.Contains("already used", Assert.Throws<ArgumentException>(() => m.AddDevice("d", DeviceKind.Dram, 4096)).Message);
        Assert.Single(m.Devices);
        m.AddResource("a", 0x10000, 0x10000, ResourceKind.SystemRam, d);
        var ex = Assert.Throws<ArgumentException>(() => m.AddResource("b", 0x18000, 0x10000, ResourceKind.SystemRam, d, 0x20000));
        Assert.Contains("overlaps a", ex.Message);
        Assert.Contains("0x18000", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.AddResource("c", 0x100000, 0x200000, ResourceKind.SystemRam, d));
        Assert.Single(m.Map.Resources);
        Assert.Single(m.DefaultSpace.Mappings);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => m.DeviceWrite(0x900000, [1]));
        Assert.Contains("0x900000", outside.Message);
    }
}

public class ClearPoisonTests
{
    [Fact]
    public void Clearing_poison_fixes_the_media_but_not_a_cached_poisoned_copy()
    {
        var p = new TestPlatform(speculative: true);
        var pa = TestPlatform.Pmem + 0x1000;
        p.Read64(0, pa);                       // the line becomes a speculation candidate of cpu0
        p.Cpu(0).Wbinvd();
        p.Machine.PoisonDeviceLine(p.Nvdimm, 0x1000);
        var fetch = p.Machine.BackgroundActions.First(a => a.Kind == Coherence.Platform.Choice.BackgroundActionKind.SpeculativeFetch);
        p.Machine.Perform(fetch);              // poison now cached, not consumed
        Assert.Empty(p.Machine.MachineChecks);
        Assert.Equal(1, p.Machine.ClearPoison(pa, 64));
        var origins = new uint[8];
        p.Machine.ReadMedia(pa, new byte[8], origins);
        Assert.NotEqual(Provenance.OriginKind.Poison, p.Machine.Origins[origins[0]].Kind);
        Assert.Equal(AccessOutcome.MachineCheck, p.Cpu(0).Load(pa, new byte[8]));   // the cached copy still holds poison
        p.Cpu(0).Clflush(pa);
        Assert.Equal(AccessOutcome.Ok, p.Cpu(0).Load(pa, new byte[8]));
        Assert.Equal(0, p.Machine.ClearPoison(pa, 64));
    }
}
