using Coherence.Checking.Scenarios;
using Coherence.Checking.Scenarios.Properties;
using Coherence.Checking.Strategies;
using Coherence.Text.Scenarios;

namespace Coherence.Checking.Tests.Scenarios;

public class ScenarioCheckerTests
{
    private static ScenarioSpec Spec(string text)
    {
        var r = ScenarioParser.Parse(text, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics));
        return r.Spec!;
    }

    private const string Poison = """
        check exhaustive budget=1
        platform sockets=1 cores=1 persistence=adr speculation=on
        device nmem0 nvdimm size=1GiB locked-reads=poison
        range pmem0 pmem 0x1_0000_0000 size=1GiB -> nmem0
        cpu0 read pmem0+0x200 8
        cpu0 wbinvd
        lock nmem0
        unlock nmem0
        cpu0 read pmem0+0x200 8
        expect violation no-machine-check
        """;

    [Fact]
    public void A_violation_found_by_exploration_replays_to_the_same_violation()
    {
        var spec = Spec(Poison);
        var policies = ScenarioRunner.EffectivePolicies(spec, null);
        var report = ScenarioChecker.Check(spec, policies, spec.Exploration!, plain: false);
        var verdict = report.Properties.Single(p => p.Property == PropertyNames.NoMachineCheck);
        Assert.True(verdict.Violated);
        Assert.True(report.Passed);
        var decisions = verdict.Witness!.Select(d => d.Chosen).ToArray();
        ScenarioExecution? replayed = null;
        var (_, error) = Explorer.Replay(c => replayed = new ScenarioExecution(spec, policies, c, 1, null), decisions, 1000);
        Assert.Null(error);
        while (replayed!.Options > 0)
        {
            replayed.Take(0);
        }
        var v = Assert.Single(replayed.Violations, x => x.Property == PropertyNames.NoMachineCheck);
        Assert.Equal(verdict.First!.Message, v.Message);
        var (trace, traceError) = ScenarioChecker.Trace(spec, policies, decisions, 1);
        Assert.Null(traceError);
        Assert.Contains(trace, l => l.Contains("SpeculativeFetch", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_speculation_the_same_steps_never_consume_poison()
    {
        var spec = Spec(Poison.Replace(" speculation=on", "", StringComparison.Ordinal).Replace("expect violation no-machine-check", "expect no-machine-check", StringComparison.Ordinal));
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, null), spec.Exploration!, plain: false);
        Assert.True(report.Passed);
        Assert.False(report.Properties.Single(p => p.Property == PropertyNames.NoMachineCheck).Violated);
        Assert.True(report.Stats.Complete);
    }

    [Fact]
    public void Expectations_tied_to_a_policy_apply_only_under_it()
    {
        var spec = Spec("""
            check plain
            device d0 dram size=1GiB
            range r0 ram 0 size=1GiB -> d0
            a: cpu0 read r0 8
            expect read a == "nonsense" when memregion=none
            expect read a == 0x00 * 8
            """);
        var defaults = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, null), new ExplorationOptions(), plain: true);
        Assert.Single(defaults.Expectations);
        Assert.True(defaults.Passed);
        var none = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { ["memregion"] = "none" }), new ExplorationOptions(), plain: true);
        Assert.Equal(2, none.Expectations.Count);
        Assert.False(none.Passed);
    }

    [Fact]
    public void Stale_read_and_leak_messages_name_steps_tenants_and_the_erase()
    {
        var spec = Spec("""
            check plain
            device cxl0 cxl size=1GiB
            range w0 cxl-window 0x2_0000_0000 size=1GiB -> cxl0
            dma w0+0x1000 "tenant A secret!" tenant=A
            cpu0 read w0+0x1000 16 tenant=A
            erase cxl0
            cpu2 read w0+0x1000 16 tenant=B
            """.Replace("cpu2", "cpu1", StringComparison.Ordinal));
        var run = ScenarioRunner.Run(spec);
        var stale = Assert.Single(run.Violations, v => v.Property == PropertyNames.NoStaleRead);
        Assert.Equal(4, stale.Step);
        Assert.Contains("cpu1 read 16 bytes at 0x200001000", stale.Message);
        Assert.Contains("DMA write to cxl0 at step 1 (tenant A)", stale.Message);
        Assert.Contains("erased or lost power at step 3", stale.Message);
        var leak = Assert.Single(run.Violations, v => v.Property == PropertyNames.NoCrossTenantLeak);
        Assert.Contains("tenant B read 16 bytes written by tenant A", leak.Message);
    }

    [Fact]
    public void Resurrection_is_reported_when_a_dirty_line_lands_on_erased_media()
    {
        var spec = Spec("""
            check plain
            device n0 nvdimm size=1GiB
            range p0 pmem 0x1_0000_0000 size=1GiB -> n0
            cpu0 write p0+0x40 "old" tenant=A
            erase n0
            cpu0 clflush p0+0x40
            """);
        var run = ScenarioRunner.Run(spec);
        var v = Assert.Single(run.Violations, v => v.Property == PropertyNames.NoResurrection);
        Assert.Equal(3, v.Step);
        Assert.Contains("landed on media after device n0 was erased", v.Message);
    }
}
