using Coherence.Checking.Scenarios;
using Coherence.Checking.Strategies;
using Coherence.Kernel.Pmem;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>The flushcache/pmem statements: parsing, errors, and the durability verdicts of examples/kernel/flushcache-*.</summary>
public class FlushcacheScenarioTests
{
    private const string Header = """
        scenario "t"
        platform sockets=1 cores=1 persistence=adr
        device nmem0 nvdimm size=1GiB
        range pmem0 pmem 0x1_0000_0000 size=1GiB -> nmem0

        """;

    private static ScenarioSpec Parse(string body)
    {
        var r = ScenarioParser.Parse(Header + body, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics.Select(d => d.Message)));
        return r.Spec!;
    }

    private static string Error(string body)
    {
        var r = ScenarioParser.Parse(Header + body, "t.scn");
        Assert.False(r.Succeeded);
        return string.Join("\n", r.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void Flushcache_statements_parse_into_steps()
    {
        var spec = Parse("""
            pmem-namespace ns0 over pmem0 flush-hints=2
            cpu0 memcpy-flushcache pmem0+8 "abcdefgh" constant
            cpu0 copy-from-iter pmem0+0x40 "x" * 10 iter=bvec
            w: cpu0 dax-write 5 "hello" fault-at=3
            cpu0 fsync ns0
            cpu0 bio-write 8 "z" * 512 preflush fua
            cpu0 bio-flush
            cpu0 write pmem0 "still a cpu step"
            """);
        Assert.Equal(new PmemNamespaceStep(null, spec.Steps[0].Where, "ns0", "pmem0", 2), spec.Steps[0]);
        var m = Assert.IsType<FlushcacheStep>(spec.Steps[1]);
        Assert.True(m.Constant);
        Assert.Equal(0x1_0000_0008UL, m.Address);
        Assert.Equal(IovIterKind.Bvec, Assert.IsType<FlushcacheStep>(spec.Steps[2]).Iter);
        var w = Assert.IsType<FlushcacheStep>(spec.Steps[3]);
        Assert.Equal(("w", FlushcacheOp.DaxWrite, "ns0", 5UL, 3), (w.Label, w.Op, w.Namespace, w.Address, w.FaultAt));
        var b = Assert.IsType<FlushcacheStep>(spec.Steps[5]);
        Assert.True(b.Preflush && b.Fua);
        Assert.Equal(FlushcacheOp.BioFlush, Assert.IsType<FlushcacheStep>(spec.Steps[6]).Op);
        Assert.IsType<CpuStep>(spec.Steps[7]);
    }

    [Fact]
    public void Dax_mmap_write_parses_into_a_step_with_its_file_offset()
    {
        var spec = Parse("""
            pmem-namespace ns0 over pmem0
            pmem-namespace ns1 over pmem0 flush-hints=0
            w: cpu1 dax-mmap-write ns1 0xff0 "record" * 3
            cpu0 dax-mmap-write ns0 0x3fff_fffa "sixbyt"
            """);
        var w = Assert.IsType<FlushcacheStep>(spec.Steps[2]);
        Assert.Equal(("w", 1, FlushcacheOp.DaxMmapWrite, "ns1", 0xff0UL), (w.Label, w.Cpu, w.Op, w.Namespace, w.Address));
        Assert.Equal("recordrecordrecord"u8.ToArray(), w.Data);
        var last = Assert.IsType<FlushcacheStep>(spec.Steps[3]);
        Assert.Equal((FlushcacheOp.DaxMmapWrite, 0x3fff_fffaUL, 6), (last.Op, last.Address, last.Data.Length));   // ends at the last byte
    }

    private static string Located(string body) =>
        string.Join("\n", ScenarioParser.Parse(Header + body, "t.scn").Diagnostics.Select(d => d.ToString()));

    [Theory]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-mmap-write 0x3fff_fffb \"sixbyt\"", "t.scn:6:21: a store of 6 bytes at file offset 1073741819 goes past the end of ns0 (0x40000000 bytes)")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-mmap-write ns0 0x4000_0000 \"x\"", "t.scn:6:25: a store of 1 bytes at file offset 1073741824 goes past the end of ns0")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-mmap-write ns9 0 \"x\"", "t.scn:6:21: unknown pmem namespace 'ns9': expected ns0")]
    [InlineData("pmem-namespace ns0 over pmem0\npmem-namespace ns1 over pmem0\ncpu0 fsync nsx", "t.scn:7:12: unknown pmem namespace 'nsx': expected ns0, ns1")]
    [InlineData("cpu0 dax-mmap-write ns0 0 \"x\"", "t.scn:5:21: unknown pmem namespace 'ns0': declare it with 'pmem-namespace ns0 over RANGE' first")]
    [InlineData("cpu0 dax-mmap-write 0 \"x\"", "t.scn:5:1: no pmem namespace")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-mmap-write ns0 \"x\"", "t.scn:6:25: expected a number")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-mmap-write 0 \"x\" iter=kvec", "t.scn:6:27: expected the end of the line")]
    [InlineData("policy dax-flush=sometimes", "t.scn:5:18: 'sometimes' is not a variant of dax-flush: expected one of write-cache, none")]
    public void Bad_dax_mmap_writes_name_the_place_and_the_reason(string body, string expected) =>
        Assert.Contains(expected, Located(body), StringComparison.Ordinal);

    [Fact]
    public void A_repeated_mmap_store_that_leaves_the_file_is_a_located_error()
    {
        var spec = Parse("""
            pmem-namespace ns0 over pmem0
            repeat 3 stride=512MiB: cpu0 dax-mmap-write 0 "x"
            """);
        var e = Assert.Throws<ScenarioError>(() => ScenarioRunner.Run(spec));
        Assert.Contains("SIGBUS", e.Message, StringComparison.Ordinal);
        Assert.Equal(6, e.Where.Line);
    }

    [Theory]
    [InlineData("write-cache", "dax_flush → arch_wb_cache_pmem: 128 instructions (64 × CLWB per page)")]
    [InlineData("none", "dax_flush skipped (DAXDEV_WRITE_CACHE never set)")]
    public void The_trace_says_what_fsync_wrote_back(string variant, string note)
    {
        var spec = ScenarioParser.Parse(Example("flushcache-dax-mmap-fsync-adr.scn"), "adr.scn").Spec!;
        var run = ScenarioRunner.Run(spec, ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { ["dax-flush"] = variant }));
        Assert.Contains(run.Trace, l => l.Contains("2 page(s), 2 newly tagged dirty", StringComparison.Ordinal));
        Assert.Contains(run.Trace, l => l.Contains(note, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cpu0 fsync", "no pmem namespace")]
    [InlineData("pmem-namespace ns0 over nope", "unknown range 'nope'")]
    [InlineData("pmem-namespace ns0 over pmem0\npmem-namespace ns0 over pmem0", "already declared")]
    [InlineData("cpu0 memcpy-flushcache pmem0 \"abc\" constant", "4, 8 or 16")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-write 0 \"abcd\" iter=kvec fault-at=1", "needs iter=user")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 dax-write 0 \"abcd\" fault-at=4", "fault-at")]
    [InlineData("pmem-namespace ns0 over pmem0\ncpu0 bio-write 0 \"abcd\" sync", "preflush, fua")]
    [InlineData("pmem-namespace ns0 over pmem0 flush-hints=99", "flush-hints")]
    public void Bad_statements_are_reported_with_a_reason(string body, string message) =>
        Assert.Contains(message, Error(body), StringComparison.Ordinal);

    private static string Example(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/kernel", name));

    private static bool DurabilityViolated(string file, string facility, string variant)
    {
        var spec = ScenarioParser.Parse(Example(file), file).Spec!;
        var policies = ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { [facility] = variant });
        var report = ScenarioChecker.Check(spec, policies, spec.Exploration ?? new ExplorationOptions { AdversaryBudget = 0 }, spec.Plain);
        return report.Properties.Single(p => p.Property == "durability").Violated;
    }

    [Theory]
    [InlineData("flushcache-dax-write-13-at-5-adr.scn", "flushcache", "x86", false)]
    [InlineData("flushcache-dax-write-13-at-5-adr.scn", "flushcache", "nocache-fallback", true)]
    [InlineData("flushcache-dax-write-13-at-5-adr.scn", "flushcache", "memcpy", true)]
    [InlineData("flushcache-dax-write-13-at-5-eadr.scn", "flushcache", "memcpy", false)]
    [InlineData("flushcache-dax-write-4k-aligned.scn", "flushcache", "nocache-fallback", false)]
    [InlineData("flushcache-dax-write-4k-aligned.scn", "flushcache", "memcpy", true)]
    [InlineData("flushcache-dax-write-user-fault.scn", "flushcache", "x86", false)]
    [InlineData("flushcache-dax-write-user-fault.scn", "flushcache", "memcpy", true)]
    [InlineData("flushcache-preflush-without-pmem-wmb.scn", "pmem-wmb", "on", false)]
    [InlineData("flushcache-preflush-without-pmem-wmb.scn", "pmem-wmb", "off", true)]
    [InlineData("flushcache-bio-fua-none.scn", "pmem-wmb", "on", false)]
    [InlineData("flushcache-bio-fua-none.scn", "pmem-wmb", "off", true)]
    [InlineData("flushcache-arm64-dcpop.scn", "flushcache", "arm64-cvap", false)]
    [InlineData("flushcache-arm64-dcpop.scn", "flushcache", "arm64-cvac", true)]
    [InlineData("flushcache-arm64-dcpop.scn", "flushcache", "memcpy", true)]
    [InlineData("flushcache-arm64-without-dcpop.scn", "flushcache", "arm64-cvap", true)]
    [InlineData("flushcache-dax-mmap-fsync-adr.scn", "dax-flush", "write-cache", false)]
    [InlineData("flushcache-dax-mmap-fsync-adr.scn", "dax-flush", "none", true)]
    [InlineData("flushcache-dax-mmap-fsync-adr.scn", "flushcache", "memcpy", false)]              // the copy plays no part
    [InlineData("flushcache-dax-mmap-fsync-eadr.scn", "dax-flush", "write-cache", false)]
    [InlineData("flushcache-dax-mmap-fsync-eadr.scn", "dax-flush", "none", false)]
    [InlineData("flushcache-arm64-dax-mmap-without-dcpop.scn", "dax-flush", "write-cache", false)]
    [InlineData("flushcache-arm64-dax-mmap-without-dcpop.scn", "dax-flush", "none", true)]
    [InlineData("flushcache-arm64-dax-mmap-without-dcpop.scn", "flushcache", "arm64-cvac", false)]  // the flush hint drains the queue
    [InlineData("flushcache-arm64-dax-mmap-without-dcpop.scn", "flushcache", "memcpy", true)]      // no ARM64_PMEM: dax_flush is empty
    public void Flushcache_examples_violate_durability_exactly_under_the_weak_policies(string file, string facility, string variant, bool violated) =>
        Assert.Equal(violated, DurabilityViolated(file, facility, variant));

    [Theory]
    [InlineData("flushcache-dax-write-13-at-5-adr.scn", "arm64-cvap", "declare 'platform arch=arm64'")]
    [InlineData("flushcache-dax-write-13-at-5-adr.scn", "arm64-cvac", "declare 'platform arch=arm64'")]
    [InlineData("flushcache-arm64-dcpop.scn", "x86", "this platform is arm64")]
    public void A_copy_for_the_other_architecture_is_an_error_naming_the_reason(string file, string variant, string message)
    {
        var spec = ScenarioParser.Parse(Example(file), file).Spec!;
        var policies = ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { ["flushcache"] = variant });
        var e = Assert.Throws<ScenarioError>(() => ScenarioChecker.Check(spec, policies, new ExplorationOptions(), plain: true));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(file, e.Where.File);
    }
}
