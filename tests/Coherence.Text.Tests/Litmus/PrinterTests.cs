using Coherence.Text.Litmus.Parsing;
using Coherence.Text.Litmus.Printing;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Tests.Litmus;

public class PrinterTests
{
    [Fact]
    public void Prints_canonical_litmus_syntax()
    {
        var text = """
            X86 messy (* comment *)
            "doc"
            Expected = Forbidden
            {x=0;0:EAX=0;y=0; 1:eax=0 ; int64_t z}
            P0|P1;
            mov [x],$1|L0: lock xadd [y],eax;
            mfence | jne L0 ;
            |mov eax,[x+0x10];
            locations [x;1:EAX;]
            filter ((0:EAX=0))
            exists (0:EAX=0 /\ (1:EAX=0 \/ ~(x=1 /\ y=2)))
            crash ~exists ((x=0 => y=1) => z=1)
            """;
        var result = LitmusParser.Parse(text, "messy.litmus");
        Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));

        var expected = """
            X86 messy
            "doc"
            Expected=Forbidden
            {
             x=0;
             0:EAX=0;
             y=0;
             1:EAX=0;
             int64_t z;
            }
             P0         | P1                    ;
             MOV [x],$1 | L0: LOCK XADD [y],EAX ;
             MFENCE     | JNE L0                ;
                        | MOV EAX,[x+16]        ;
            locations [x; 1:EAX; ]
            filter (0:EAX=0)
            exists (0:EAX=0 /\ (1:EAX=0 \/ ~(x=1 /\ y=2)))
            crash ~exists ((x=0 => y=1) => z=1)

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), LitmusPrinter.Print(result.Test));
    }

    [Theory]
    [InlineData(Architecture.X86, "[x]", "[EAX+EBX-8]")]
    [InlineData(Architecture.X86_64, "(x)", "-8(%rax,%rbx)")]
    [InlineData(Architecture.AArch64, "[X1]", "[X1,X2]")]
    public void Formats_memory_operands_in_each_syntax(Architecture architecture, string symbolic, string indexed)
    {
        var symbolOperand = architecture == Architecture.AArch64
            ? new MemoryOperand(null, "X1", null, 0)
            : new MemoryOperand("x", null, null, 0);
        var (baseName, indexName) = architecture switch
        {
            Architecture.X86 => ("EAX", "EBX"),
            Architecture.X86_64 => ("rax", "rbx"),
            _ => ("X1", "X2"),
        };
        var offset = architecture == Architecture.AArch64 ? 0 : -8;

        Assert.Equal(symbolic, LitmusPrinter.FormatOperand(architecture, symbolOperand));
        Assert.Equal(indexed, LitmusPrinter.FormatOperand(architecture, new MemoryOperand(null, baseName, indexName, offset)));
    }

    [Fact]
    public void Formats_options_with_a_comma_only_before_a_register()
    {
        var dc = new Instruction("DC", [new OptionOperand("CVAP"), new RegisterOperand("X1")]);
        var dmb = new Instruction("DMB", [new OptionOperand("ISH")]);

        Assert.Equal("DC CVAP, X1", LitmusPrinter.FormatInstruction(Architecture.AArch64, dc));
        Assert.Equal("DMB ISH", LitmusPrinter.FormatInstruction(Architecture.AArch64, dmb));
        Assert.Equal("lock incl (x)", LitmusPrinter.FormatInstruction(
            Architecture.X86_64, new Instruction("incl", [new MemoryOperand("x", null, null, 0)], Lock: true)));
    }
}
