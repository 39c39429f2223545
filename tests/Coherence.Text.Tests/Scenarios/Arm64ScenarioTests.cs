using Coherence.Checking.Scenarios;
using Coherence.Checking.Scenarios.Properties;
using Coherence.Checking.Strategies;
using Coherence.Kernel.Kvm;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Isa.Arm64;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>The arm64 statements (platform, map types, dc/dsb/dmb/exec, kvm vma/memslot): parsing, errors with their
/// locations, and the verdicts of examples/kernel/kvm-arm64-* under each kvm-s2 policy.</summary>
public class Arm64ScenarioTests
{
    private const string Header = """
        scenario "t"
        platform sockets=1 cores=2 arch=arm64 fwb=on dic=off dcpop=on
        device bar0 dram size=16MiB volatile
        range bar reserved 0x40_0000_0000 size=16MiB -> bar0
        guest cpu1 kvm

        """;

    private static ScenarioSpec Parse(string body, string header = Header)
    {
        var r = ScenarioParser.Parse(header + body, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics.Select(d => d.ToString())));
        return r.Spec!;
    }

    private static Diagnostics.Diagnostic Error(string body, string header = Header)
    {
        var r = ScenarioParser.Parse(header + body, "t.scn");
        Assert.False(r.Succeeded);
        return r.Diagnostics[0];
    }

    [Fact]
    public void Arm64_statements_parse_into_steps_and_platform()
    {
        var spec = Parse("""
            map cpu1 0x1_0000_0000 -> 0x1_0000_0000 size=64KiB normal-nc
            v: kvm vma vbar 0x7f00_0000_0000 size=64KiB -> bar+0x1000 pfnmap allow-any-uncached pgprot=noncached
            s: kvm memslot 3 0x1_0000_0000 size=64KiB -> vbar+0x2000 log-dirty
            cpu1 dc zva 0x1_0000_0040 tenant=A
            cpu1 dc cvap bar
            cpu0 dsb st
            cpu0 dmb ishld
            x: cpu1 exec 0x1_0000_0000
            cpu1 write 0x1_0000_0000 "abc"
            """);
        Assert.Equal(InstructionSet.Arm64, spec.Platform.InstructionSet);
        Assert.Equal(Arm64Features.Fwb | Arm64Features.DcPop, spec.Platform.Arm64Features);
        Assert.Equal(Arm64MemoryType.NormalNC, spec.Mappings.Single().Arm64Type);
        var v = Assert.IsType<KvmVmaStep>(spec.Steps[0]);
        Assert.Equal(("vbar", 0x7f00_0000_0000UL, 0x10000UL, 0x40_0000_1000UL), (v.Name, v.Hva, v.Size, v.PhysicalAddress));
        Assert.Equal(VmFlags.Read | VmFlags.Write | VmFlags.PfnMap | VmFlags.AllowAnyUncached, v.Flags);
        Assert.Equal(PgProt.NonCached, v.PageProt);
        var s = Assert.IsType<KvmMemslotStep>(spec.Steps[1]);
        Assert.Equal((3, 0x1_0000_0000UL, 0x10000UL, "vbar", 0x2000UL, KvmMemFlags.LogDirtyPages), (s.Slot, s.Gpa, s.Size, s.Vma, s.Offset, s.Flags));
        Assert.Equal(new Arm64Step(null, spec.Steps[2].Where, 1, Arm64Instruction.DcZva, 0x1_0000_0040, Tenant: "A"), spec.Steps[2]);
        Assert.Equal(Arm64Instruction.DcCvap, Assert.IsType<Arm64Step>(spec.Steps[3]).Op);
        Assert.Equal((Arm64Instruction.Dsb, Arm64BarrierKind.Stores), (Assert.IsType<Arm64Step>(spec.Steps[4]).Op, ((Arm64Step)spec.Steps[4]).Barrier));
        Assert.Equal((Arm64Instruction.Dmb, Arm64BarrierKind.Loads), (Assert.IsType<Arm64Step>(spec.Steps[5]).Op, ((Arm64Step)spec.Steps[5]).Barrier));
        Assert.Equal(Arm64Instruction.Fetch, Assert.IsType<Arm64Step>(spec.Steps[6]).Op);
        Assert.Equal(CpuOp.Write, Assert.IsType<CpuStep>(spec.Steps[7]).Op);
    }

    [Theory]
    [InlineData("cpu0 clwb bar\n", 6, 1, "'clwb' is an x86 instruction and this platform is arm64")]
    [InlineData("cpu0 wbinvd\n", 6, 1, "'wbinvd' is an x86 instruction")]
    [InlineData("map cpu0 0x1000 -> bar size=4KiB wc\n", 6, 1, "x86 memory types and this platform is arm64")]
    [InlineData("guest cpu0 tdx\n", 6, 1, "KVM guests only")]
    [InlineData("cpu1 dc cvau bar\n", 6, 9, "unknown DC operation 'cvau'")]
    [InlineData("cpu1 dsb full\n", 6, 10, "not a valid barrier option")]
    [InlineData("kvm memslot 0 0x1000 size=4KiB -> nope\n", 6, 35, "unknown VMA 'nope'")]
    [InlineData("kvm vma v 0x1001 size=4KiB -> bar\n", 6, 11, "4 KiB boundaries")]
    [InlineData("kvm vma v 0x1000 size=4KiB -> bar pgprot=wb\n", 6, 42, "not a valid pgprot")]
    [InlineData("kvm vma v 0x1000 size=4KiB -> bar shared\n", 6, 35, "unknown kvm vma option 'shared'")]
    [InlineData("kvm vma v 0x1000 size=4KiB -> bar\nkvm vma v 0x2000 size=4KiB -> bar\n", 7, 9, "VMA 'v' is already declared")]
    [InlineData("kvm unmap v\n", 6, 5, "unknown kvm operation 'unmap'")]
    [InlineData("cpu9 exec bar\n", 6, 1, "cpu9 does not exist")]
    public void Arm64_errors_name_their_line_and_column(string body, int line, int column, string message)
    {
        var d = Error(body);
        Assert.Equal(("t.scn", line, column), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    private const string X86Header = """
        scenario "t"
        platform sockets=1 cores=2 fwb=on
        device d0 nvdimm size=1GiB
        range r0 pmem 0x1_0000_0000 size=1GiB -> d0

        """;

    [Theory]
    [InlineData("cpu0 read r0 8\n", 2, 28, "'fwb' needs an arm64 platform")]
    public void Arm64_features_need_an_arm64_platform(string body, int line, int column, string message)
    {
        var d = Error(body, X86Header);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu0 dsb\n", "'dsb' needs an arm64 platform")]
    [InlineData("cpu0 exec r0\n", "'exec' needs an arm64 platform")]
    [InlineData("cpu0 dc ivac r0\n", "'dc' needs an arm64 platform")]
    [InlineData("kvm vma v 0x1000 size=4KiB -> r0\n", "'kvm' needs an arm64 platform")]
    [InlineData("map cpu0 0x1000 -> r0 size=4KiB normal-nc\ncpu0 read r0 8\n", "an arm64 memory type needs an arm64 platform")]
    public void Arm64_constructs_on_an_x86_platform_are_errors(string body, string message)
    {
        var header = X86Header.Replace(" fwb=on", "", StringComparison.Ordinal);
        var d = Error(body, header);
        Assert.Equal(5, d.Location.Line);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    private static string Example(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/kernel", name));

    private static (ScenarioReport Report, ScenarioRun Run) Check(string file, string variant)
    {
        var spec = ScenarioParser.Parse(Example(file), file).Spec!;
        var policies = ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { ["kvm-s2"] = variant });
        var report = ScenarioChecker.Check(spec, policies, spec.Exploration ?? new ExplorationOptions(), spec.Plain);
        return (report, ScenarioRunner.Run(spec, policies));
    }

    private static bool Violated(ScenarioReport r, string property) => r.Properties.Single(p => p.Property == property).Violated;

    [Theory]
    [InlineData("pre-6.8", 8, true)]
    [InlineData("6.8", 1, false)]
    [InlineData("6.17", 1, false)]
    public void A_vfio_bar_mapped_write_combining_gathers_from_6_8_and_faults_before(string variant, int transactions, bool faults)
    {
        var (report, run) = Check("kvm-arm64-vfio-bar-write-combining.scn", variant);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
        var cpu = run.Machine!.Arm64[1];
        Assert.Equal(faults ? Arm64MemoryType.DeviceNGnRE : Arm64MemoryType.NormalNC, cpu.LastAccess!.Value.Type);
        // w: 64 bytes; then, without faults, u (4 bytes, one buffer) and z (one buffer) follow.
        Assert.Equal(transactions + (faults ? 0 : 2), cpu.WriteTransactions);
    }

    [Theory]
    [InlineData("pre-6.8", true)]
    [InlineData("6.8", true)]
    [InlineData("6.17", false)]
    public void Cacheable_device_memory_is_a_stale_non_cacheable_alias_before_6_17(string variant, bool stale)
    {
        var (report, run) = Check("kvm-arm64-cacheable-pfnmap.scn", variant);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
        Assert.Equal(stale, Violated(report, PropertyNames.NoStaleRead));
        var r = run.Reads["r"];
        Assert.Equal(stale ? new byte[16] : "GPU result ready"u8.ToArray(), r.Data);
        // Before 6.17 the guest's store also leaves the host's cached copy stale: host2 is reported too.
        Assert.Equal(stale, run.Violations.Any(v => v.Property == PropertyNames.NoStaleRead && v.Message.Contains("through a non-cacheable mapping", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("pre-6.8", 0, true)]
    [InlineData("6.8", 0, true)]
    [InlineData("6.17", -22, false)]
    public void Without_fwb_6_17_refuses_the_cacheable_memslot(string variant, int errno, bool stale)
    {
        var (report, run) = Check("kvm-arm64-cacheable-pfnmap-without-fwb.scn", variant);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
        Assert.Equal(stale, Violated(report, PropertyNames.NoStaleRead));
        Assert.Equal(stale ? AccessOutcome.Ok : AccessOutcome.Stage2Fault, run.Reads["r"].Outcome);
        Assert.Contains(report.Expectations, e => e.Expectation is ErrnoExpect { Label: "s" } x && x.Errno == errno && e.Held);
    }

    [Theory]
    [InlineData("pre-6.8")]
    [InlineData("6.8")]
    [InlineData("6.17")]
    public void Exec_from_non_cacheable_memory_is_enoexec_under_every_policy(string variant)
    {
        var (report, _) = Check("kvm-arm64-exec-noncacheable.scn", variant);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
        Assert.Contains(report.Expectations, e => e.Expectation is ErrnoExpect { Label: "bar", Errno: -8 } && e.Held);
    }

    [Fact]
    public void A_wrong_expectation_on_an_arm64_example_fails()
    {
        var text = Example("kvm-arm64-exec-noncacheable.scn").Replace("expect errno bar == -ENOEXEC", "expect errno bar == 0", StringComparison.Ordinal);
        var spec = ScenarioParser.Parse(text, "x.scn").Spec!;
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, null), new ExplorationOptions(), plain: true);
        Assert.False(report.Passed);
        Assert.Contains(report.Expectations, e => !e.Held && e.Explanation == "bar returned -ENOEXEC");
    }

    [Fact]
    public void A_non_cacheable_write_that_drains_through_the_write_pending_queue_is_judged_at_its_physical_address()
    {
        // The queue names drained lines by device offset (0x40 here), which is no physical address of the map.
        var spec = Parse("""
            map cpu0 0x7000_0000_0000 -> pmem0 size=4KiB normal-nc
            cpu0 write 0x7000_0000_0040 "nc"
            cpu0 dsb
            cpu1 read pmem0+0x40 2
            expect no-resurrection
            expect no-stale-read
            """, """
            scenario "t"
            platform sockets=1 cores=2 arch=arm64 persistence=none
            device nmem0 nvdimm size=1GiB
            range pmem0 pmem 0x1_0000_0000 size=1GiB -> nmem0

            """);
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, null), new ExplorationOptions { AdversaryBudget = 0 }, plain: false);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
        Assert.True(report.Stats.Executions > 1);
    }

    [Fact]
    public void A_cacheable_guest_mapping_without_fwb_is_cleaned_to_poc_when_mapped()
    {
        // RAM without FWB: KVM maps it Normal (0xF) and cleans the page to PoC first, so a guest reading it through a
        // non-cacheable stage-1 mapping sees what the host wrote (cached dirty before the fault).
        var spec = Parse("""
            map cpu1 0x4000_0000 -> 0x4000_0000 size=4KiB normal-nc
            kvm vma vram 0x7e00_0000_0000 size=64KiB -> ram0
            kvm memslot 0 0x4000_0000 size=64KiB -> vram
            cpu0 write 0x7e00_0000_0000 "host data"
            r: cpu1 read 0x4000_0000 9
            expect read r == "host data"
            expect no-stale-read
            """, Header.Replace("fwb=on", "fwb=off", StringComparison.Ordinal)
                + "device dram0 dram size=1GiB\nrange ram0 ram 0x8000_0000 size=1GiB -> dram0\n");
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, null), new ExplorationOptions(), plain: true);
        Assert.True(report.Passed, string.Join("\n", report.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
    }
}
