using Coherence.Platform.Choice;
using Coherence.Platform.Events;

namespace Coherence.Platform.Tests.Events;

public class EventTests
{
    private const ulong X = TestPlatform.Cxl + 0x1000;

    [Fact]
    public void Every_state_change_of_a_store_and_flush_is_observable_in_order()
    {
        var p = new TestPlatform();
        var log = new EventLog();
        p.Machine.Observer = log;
        p.Write64(0, X, 1, "A");
        p.Cpu(0).Clwb(X);
        p.Cpu(0).Sfence();
        var kinds = log.Events.Select(e => e.Kind).ToArray();
        Assert.Equal(
            [EventKind.Store, EventKind.Fill, EventKind.StoreCommit, EventKind.FlushIssue, EventKind.WriteBack, EventKind.FlushComplete, EventKind.Fence],
            kinds);
        Assert.Equal([1L, 1, 1, 2, 2, 2, 3], log.Events.Select(e => e.Step - log.Events[0].Step + 1));
        var f = new TraceFormatter(p.Machine);
        var text = log.Events.Select(e => f.Format(e)).ToArray();
        Assert.StartsWith("[store] step", text[0]);
        Assert.Contains("cpu0.L1 fill line 0x200001000 from device for writing", text[1]);
        Assert.Contains("written back -> cxl0", text[4]);
    }

    [Fact]
    public void Trace_describes_origins_in_words()
    {
        var p = new TestPlatform();
        p.Write64(1, X, 5, "tenantA");
        var data = new byte[16];
        var origins = new uint[16];
        p.Cpu(0).Load(X, data, origins);
        var f = new TraceFormatter(p.Machine);
        var words = f.DescribeOrigins(origins);
        Assert.Contains("8 bytes from store by cpu1 at step", words);
        Assert.Contains("(tenant tenantA)", words);
        Assert.Contains("8 bytes from initial contents of cxl0", words);
    }

    [Fact]
    public void Eviction_event_names_source_and_destination()
    {
        var p = new TestPlatform(cores: 1);
        var log = new EventLog();
        p.Machine.Observer = log;
        p.Write64(0, X, 1);
        for (ulong i = 1; i <= 4; i++)
        {
            p.Read64(0, X + i * 0x400);
        }
        var f = new TraceFormatter(p.Machine);
        var evict = log.Events.First(e => e.Kind == EventKind.Evict);
        Assert.Equal("[evict] step " + evict.Step + " cpu0 cpu0.L1 line 0x200001000 dirty -> cpu0.L2", f.Format(evict));
    }

    [Fact]
    public void No_observer_means_no_events_but_same_behaviour()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 3);
        Assert.Equal(3UL, p.Read64(1, X));
    }

    [Fact]
    public void Plain_chooser_drains_every_buffer_at_the_end_of_each_step()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 3);
        p.Cpu(0).StoreNonTemporal(X + 64, new byte[8]);
        p.Cpu(0).ClflushOpt(X);
        Assert.True(p.Machine.Cpus[0].IsQuiescent);
        Assert.Empty(p.Machine.BackgroundActions);
        Assert.Same(PlainChooser.Instance, p.Machine.Chooser);
    }

    [Fact]
    public void Illegal_chooser_answer_is_refused_with_the_step()
    {
        var p = new TestPlatform(chooser: new BadChooser());
        var ex = Assert.Throws<InvalidOperationException>(() => p.Write64(0, X, 1));
        Assert.Contains("step", ex.Message);
    }

    private sealed class BadChooser : IChooser
    {
        public int Choose(ChoiceKind kind, int count, int defaultOption) => count;
    }
}
