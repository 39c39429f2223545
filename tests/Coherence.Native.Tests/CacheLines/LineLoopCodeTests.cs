using Coherence.Native.CacheLines;

namespace Coherence.Native.Tests.CacheLines;

public class LineLoopCodeTests
{
    [Fact]
    public void Clwb_loop_is_the_hand_assembled_bytes()
    {
        // cmp rdi,rsi; jae +12; clwb [rdi]; add rdi,rdx; cmp rdi,rsi; jb -12; ret
        byte[] expected = [0x48, 0x39, 0xF7, 0x73, 0x0C, 0x66, 0x0F, 0xAE, 0x37, 0x48, 0x01, 0xD7, 0x48, 0x39, 0xF7, 0x72, 0xF4, 0xC3];
        Assert.Equal(expected, LineLoopCode.Assemble(WriteBackInstruction.Clwb));
    }

    [Fact]
    public void Clflush_loop_jumps_over_its_shorter_instruction()
    {
        byte[] expected = [0x48, 0x39, 0xF7, 0x73, 0x0B, 0x0F, 0xAE, 0x3F, 0x48, 0x01, 0xD7, 0x48, 0x39, 0xF7, 0x72, 0xF5, 0xC3];
        Assert.Equal(expected, LineLoopCode.Assemble(WriteBackInstruction.Clflush));
    }

    [Fact]
    public void Clflushopt_differs_from_clwb_only_in_the_modrm_reg_field()
    {
        var clwb = LineLoopCode.Assemble(WriteBackInstruction.Clwb);
        var opt = LineLoopCode.Assemble(WriteBackInstruction.ClflushOpt);
        var differing = Enumerable.Range(0, clwb.Length).Where(i => clwb[i] != opt[i]).ToArray();
        Assert.Equal([8], differing);
        Assert.Equal(0x3F, opt[8]);
    }
}
