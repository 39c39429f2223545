using System.Text;
using Coherence.Platform.TraceSim;
using Coherence.Text.Traces;

namespace Coherence.Text.Tests.Traces;

public class TracePipelineTests
{
    private static TraceSimulator Simulator(long maxCount = 0)
    {
        var config = new CachesimConfig { MaxCount = maxCount };
        config[1, CacheRole.Unified] = new CacheLevelConfig { SizeBytes = 4096, BlockSize = 64, Associativity = 4 };
        return new TraceSimulator(config);
    }

    private static TraceReader Reader(string text) => new(new MemoryStream(Encoding.ASCII.GetBytes(text)), TraceFormat.Din);

    private static string Lines(int n)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Append(i % 3).Append(' ').Append((i * 68).ToString("x")).Append('\n');
        }
        return sb.ToString();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_record_is_simulated_once_in_order(bool parallel)
    {
        var text = Lines(10_007);
        var expected = Simulator();
        var batch = new TraceRecord[10_007];
        expected.Process(batch.AsSpan(0, Reader(text).Read(batch)));
        var sim = Simulator();
        TracePipeline.Run(Reader(text), sim, parallel, batchSize: 100, buffers: 3);
        Assert.Equal(10_007, sim.SimulatedCount);
        Assert.Equal(expected.Caches[0].Misses(TraceOp.Read), sim.Caches[0].Misses(TraceOp.Read));
        Assert.Equal(expected.Caches[0].BytesWritten, sim.Caches[0].BytesWritten);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_bad_record_is_raised_after_the_records_before_it(bool parallel)
    {
        var sim = Simulator();
        var e = Assert.Throws<TraceFormatException>(() => TracePipeline.Run(Reader(Lines(5000) + "0 zz\n" + Lines(10)), sim, parallel, batchSize: 64));
        Assert.Equal(5001, e.RecordNumber);
        Assert.Equal(5000, sim.SimulatedCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_run_stops_when_the_simulator_asks(bool parallel)
    {
        var sim = Simulator(maxCount: 1000);
        TracePipeline.Run(Reader(Lines(100_000)), sim, parallel, batchSize: 64);
        Assert.True(sim.MaxCountExceeded);
        Assert.Equal(1000, sim.SimulatedCount);
    }
}
