namespace Coherence.Native.CacheLines;

/// <summary>
/// Assembles the x86-64 machine code of <c>void op_range(void* start, void* end, size_t stride)</c> (System V
/// calling convention: rdi, rsi, rdx) for one cache-line instruction: while start &lt; end, execute the
/// instruction on [start] and add the stride. The code is position independent and has no fence.
/// </summary>
internal static class LineLoopCode
{
    // Encodings with ModRM 0x37 / 0x3F: mod 00, reg /6 or /7, r/m 111 = [rdi].
    private static readonly byte[] Clwb = [0x66, 0x0F, 0xAE, 0x37];        // clwb [rdi]        66 0F AE /6
    private static readonly byte[] ClflushOpt = [0x66, 0x0F, 0xAE, 0x3F];  // clflushopt [rdi]  66 0F AE /7
    private static readonly byte[] Clflush = [0x0F, 0xAE, 0x3F];           // clflush [rdi]     0F AE /7

    private static readonly byte[] CmpRdiRsi = [0x48, 0x39, 0xF7];  // cmp rdi, rsi  (39 /r: r/m=rdi, reg=rsi)
    private static readonly byte[] AddRdiRdx = [0x48, 0x01, 0xD7];  // add rdi, rdx  (01 /r: r/m=rdi, reg=rdx)
    private const byte JaeRel8 = 0x73;
    private const byte JbRel8 = 0x72;
    private const byte Ret = 0xC3;

    /// <summary>The instruction bytes on [rdi] for <paramref name="instruction"/>.</summary>
    public static ReadOnlySpan<byte> Instruction(WriteBackInstruction instruction) => instruction switch
    {
        WriteBackInstruction.Clwb => Clwb,
        WriteBackInstruction.ClflushOpt => ClflushOpt,
        WriteBackInstruction.Clflush => Clflush,
        _ => throw new ArgumentOutOfRangeException(nameof(instruction), instruction, "unknown write-back instruction"),
    };

    /// <summary>Returns the loop's machine code for <paramref name="instruction"/>.</summary>
    public static byte[] Assemble(WriteBackInstruction instruction)
    {
        var op = Instruction(instruction);
        var body = op.Length + AddRdiRdx.Length + CmpRdiRsi.Length + 2; // loop: op; add; cmp; jb loop
        var code = new List<byte>(32);
        code.AddRange(CmpRdiRsi);                 //        cmp rdi, rsi
        code.Add(JaeRel8);                        //        jae done
        code.Add((byte)body);
        code.AddRange(op);                        // loop:  op [rdi]
        code.AddRange(AddRdiRdx);                 //        add rdi, rdx
        code.AddRange(CmpRdiRsi);                 //        cmp rdi, rsi
        code.Add(JbRel8);                         //        jb loop
        code.Add(unchecked((byte)(sbyte)-body));
        code.Add(Ret);                            // done:  ret
        return [.. code];
    }
}
