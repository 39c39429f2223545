using Coherence.Checking.Scenarios;
using Coherence.Platform.Devices;
using Coherence.Platform.Persistence;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

public class ScenarioParserTests
{
    private static ScenarioSpec Parse(string text)
    {
        var r = ScenarioParser.Parse(text, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics));
        return r.Spec!;
    }

    [Fact]
    public void Platform_devices_ranges_and_steps_are_read()
    {
        var s = Parse("""
            scenario "all"
            check exhaustive budget=3 max-states=500
            platform sockets=2 cores=4 persistence=eadr speculation=on
            cache llc 4MiB ways=16
            device cxl0 cxl size=4TiB fill=0xff locked-reads=ones
            range w0 cxl-window 0x2_0000_0000 size=1GiB -> cxl0 + 0x1000
            policy memregion=x86-local-cpu nvdimm-flush=v5.0
            a: cpu3 write w0+0x40 "hi" tenant=A
            repeat 4 stride=64: cpu0 write w0 0x00 * 64
            durable cpu0 w0 64
            b: cpu1 read w0+0x40 2 tenant=B
            expect violation no-stale-read when memregion=x86-local-cpu
            expect read b == "hi"
            """);
        Assert.Equal("all", s.Name);
        Assert.Equal(2, s.Platform.Sockets);
        Assert.Equal(4, s.Platform.CoresPerSocket);
        Assert.Equal(PersistenceDomain.Eadr, s.Platform.Persistence);
        Assert.True(s.Platform.SpeculativeFetch);
        Assert.Equal(4L << 20, s.Platform.Llc.SizeBytes);
        Assert.Equal(3, s.Exploration!.AdversaryBudget);
        Assert.Equal(500, s.Exploration.MaxStates);
        var d = Assert.Single(s.Devices);
        Assert.Equal((DeviceKind.CxlType3, 4UL << 40, (byte)0xff, LockedReadMode.AllOnes), (d.Kind, d.Size, d.Fill, d.LockedReads));
        Assert.Equal(0x1000UL, s.Ranges[0].DeviceOffset);
        Assert.Equal("x86-local-cpu", s.Policies["memregion"]);
        var write = Assert.IsType<CpuStep>(s.Steps[0]);
        Assert.Equal((3, CpuOp.Write, 0x2_0000_0040UL, "A", "a"), (write.Cpu, write.Op, write.Address, write.Tenant, write.Label));
        var repeat = Assert.IsType<RepeatStep>(s.Steps[1]);
        Assert.Equal((4UL, 64UL), (repeat.Count, repeat.Stride));
        Assert.Equal(64, Assert.IsType<CpuStep>(repeat.Body).Data.Length);
        Assert.IsType<DurableStep>(s.Steps[2]);
        var x = Assert.IsType<PropertyExpect>(s.Expectations[0]);
        Assert.True(x.Violated);
        Assert.Equal(("memregion", "x86-local-cpu"), x.When);
        Assert.Equal("B", Assert.IsType<CpuStep>(s.Steps[3]).Tenant);
    }

    [Fact]
    public void Numbers_sizes_and_data_forms()
    {
        var s = Parse("""
            device d0 dram size=64K
            range r0 ram 0 size=65536 -> d0
            cpu0 write 0x10 "a\x41\n"
            cpu0 write 0x20 0x0102 * 3
            """);
        Assert.Equal(64UL * 1024, s.Devices[0].Size);
        Assert.Equal("aA\n"u8.ToArray(), ((CpuStep)s.Steps[0]).Data);
        Assert.Equal(new byte[] { 1, 2, 1, 2, 1, 2 }, ((CpuStep)s.Steps[1]).Data);
    }
}
