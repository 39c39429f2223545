using Coherence.Platform.TraceSim;
using Coherence.Text.Traces;

namespace Coherence.Text.Tests.Traces;

public class StreamingTests
{
    /// <summary>A din trace generated on the fly: never held in memory as a whole.</summary>
    private sealed class GeneratedTrace(long lines) : Stream
    {
        private long line;
        private ulong state = 0x9e3779b97f4a7c15;
        private readonly byte[] pending = new byte[32];
        private int pendingStart;
        private int pendingEnd;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (pendingStart == pendingEnd)
                {
                    if (line == lines)
                    {
                        break;
                    }
                    Next();
                }
                var n = Math.Min(count - written, pendingEnd - pendingStart);
                Array.Copy(pending, pendingStart, buffer, offset + written, n);
                pendingStart += n;
                written += n;
            }
            return written;
        }

        private void Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var label = (int)(state % 3);
            var address = 0x10000000UL + ((state >> 8) & 0x3fffff);
            pendingStart = 0;
            pendingEnd = 0;
            pending[pendingEnd++] = (byte)('0' + label);
            pending[pendingEnd++] = (byte)' ';
            for (var shift = 28; shift >= 0; shift -= 4)
            {
                pending[pendingEnd++] = (byte)"0123456789abcdef"[(int)(address >> shift) & 0xf];
            }
            pending[pendingEnd++] = (byte)'\n';
            line++;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Ten_million_line_trace_streams_in_constant_memory()
    {
        const long Lines = 10_000_000;
        var config = new CachesimConfig();
        config[1, CacheRole.Instruction] = new CacheLevelConfig { SizeBytes = 32768, BlockSize = 64, Associativity = 8 };
        config[1, CacheRole.Data] = new CacheLevelConfig { SizeBytes = 32768, BlockSize = 64, Associativity = 8 };
        config[2, CacheRole.Unified] = new CacheLevelConfig { SizeBytes = 1 << 20, BlockSize = 64, Associativity = 16 };
        var sim = new TraceSimulator(config);
        var reader = new TraceReader(new GeneratedTrace(Lines), TraceFormat.Din);
        var batch = new TraceRecord[8192];

        var before = GC.GetAllocatedBytesForCurrentThread();
        int n;
        while ((n = reader.Read(batch)) > 0)
        {
            sim.Process(batch.AsSpan(0, n));
        }
        sim.Finish();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Lines, reader.RecordsRead);
        Assert.Equal(Lines, sim.SimulatedCount);
        long references = 0;
        foreach (var op in new[] { TraceOp.Read, TraceOp.Write, TraceOp.InstructionFetch })
        {
            references += sim.Caches[0].Fetches(op) + sim.Caches[1].Fetches(op);
        }
        Assert.Equal(Lines, references);
        // Parsing and simulation allocate nothing per record (nor does the generator): memory does not grow with the
        // length of the trace. A few small objects per run are allowed.
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes for {Lines} records");
    }
}
