using Coherence.Native.CacheLines;
using Coherence.Native.Cpu;
using Coherence.Native.Memory;

namespace Coherence.Native.Tests.CacheLines;

public class CacheLineTests
{
    public static TheoryData<WriteBackInstruction> Instructions =>
        [WriteBackInstruction.Clwb, WriteBackInstruction.ClflushOpt, WriteBackInstruction.Clflush];

    [Fact]
    public void This_x86_64_machine_supports_line_operations()
    {
        Assert.True(CacheLine.IsSupported);
        Assert.Equal(CpuFeatures.Current.ClflushLineSize, CacheLine.Size);
    }

    [Fact]
    public void The_write_back_instruction_is_clwb_else_clflushopt_else_clflush()
    {
        var f = CpuFeatures.Current;
        var expected = f.Clwb ? WriteBackInstruction.Clwb : f.ClflushOpt ? WriteBackInstruction.ClflushOpt : WriteBackInstruction.Clflush;
        Assert.Equal(expected, CacheLine.WriteBackInstruction);
        Assert.Equal(f.ClflushOpt ? WriteBackInstruction.ClflushOpt : WriteBackInstruction.Clflush, CacheLine.InvalidateInstruction);
        Assert.Equal(WriteBackInstruction.ClflushOpt, CacheLine.Choose(f with { Clwb = false, ClflushOpt = true }));
        Assert.Equal(WriteBackInstruction.Clflush, CacheLine.Choose(f with { Clwb = false, ClflushOpt = false, Clflush = true }));
        Assert.Null(CacheLine.Choose(f with { Clwb = false, ClflushOpt = false, Clflush = false }));
    }

    [Theory]
    [MemberData(nameof(Instructions))]
    public void Each_instruction_runs_on_this_machine_and_keeps_the_bytes(WriteBackInstruction instruction)
    {
        using var buffer = new AlignedBuffer(4096 + 256);
        new Random(7).NextBytes(buffer.Span);
        var before = buffer.Span.ToArray();
        if (!CacheLine.Implements(CpuFeatures.Current, instruction))
        {
            Assert.Throws<NotSupportedException>(() => CacheLine.Run(instruction, (nuint)buffer.Address, 64));
            return;
        }

        foreach (var (offset, length) in new[] { (0, 64), (5, 1), (63, 2), (1, 4096), (0, 0), (100, 3000) })
        {
            CacheLine.Run(instruction, (nuint)(buffer.Address + offset), (nuint)length);
        }

        CacheLine.Fence();
        Assert.Equal(before, buffer.Span.ToArray());
    }

    [Fact]
    public void Public_write_back_and_flush_invalidate_keep_the_bytes()
    {
        using var buffer = new AlignedBuffer(1000);
        new Random(3).NextBytes(buffer.Span);
        var before = buffer.Span.ToArray();
        CacheLine.WriteBack(buffer.Span[3..777]);
        CacheLine.FlushInvalidate(buffer.Span[1..]);
        CacheLine.WriteBack(ReadOnlySpan<byte>.Empty);
        CacheLine.Fence();
        Assert.Equal(before, buffer.Span.ToArray());
    }
}
