using Coherence.Checking.Scenarios;
using Coherence.Checking.Strategies;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>A DMA write replaces only the bytes it covers: the oracle judges the rest of its line by its own history.</summary>
public class PartialDmaTests
{
    private static bool Resurrection(string steps)
    {
        var text = """
            scenario "partial DMA"
            check plain
            platform sockets=1 cores=1 persistence=none
            device nmem0 nvdimm size=1GiB
            range pmem0 pmem 0x1_0000_0000 size=1GiB -> nmem0

            """ + steps;
        var r = ScenarioParser.Parse(text, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics));
        var spec = r.Spec!;
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string>()), new ExplorationOptions(), plain: true);
        return report.Properties.Single(p => p.Property == "no-resurrection").Violated;
    }

    [Fact]
    public void A_one_byte_dma_draining_from_the_write_pending_queue_resurrects_nothing() =>
        Assert.False(Resurrection("""
            dma pmem0+0x0 0x01
            cpu0 read pmem0+0x1 8
            """));

    [Fact]
    public void A_dirty_line_written_back_over_the_dma_byte_still_resurrects_it() =>
        Assert.True(Resurrection("""
            cpu0 write pmem0+0x10 "cpu data"
            dma pmem0+0x0 0x01
            cpu0 clflush pmem0+0x10
            """));
}
