using System.Reflection;
using Coherence.Text.Litmus.Parsing;

namespace Coherence.Text.Tests.Litmus;

/// <summary>One test per diagnostic message of <see cref="Messages"/>, each checking line and column.</summary>
public class DiagnosticTests
{
    private const string File = "t.litmus";

    [Fact]
    public void Every_message_has_a_test()
    {
        var tested = typeof(DiagnosticTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null && m.Name.StartsWith("Reports_", StringComparison.Ordinal))
            .Select(m => m.Name["Reports_".Length..])
            .ToHashSet();
        var messages = typeof(Messages).GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m is FieldInfo || (m is MethodInfo method && method.ReturnType == typeof(string) && !method.IsSpecialName))
            .Select(m => m.Name)
            .Where(name => name != nameof(Messages.Describe))
            .ToHashSet();

        Assert.Empty(messages.Except(tested));
    }

    [Fact]
    public void Diagnostics_print_as_file_line_column_message()
    {
        var result = LitmusParser.Parse("X86 T\n{ x=0; }\n P0 ;\n MOV [x,$1 ;\nexists (x=1)\n", "x.litmus");

        Assert.Equal("x.litmus:4:8: expected ']' after memory operand, found ','", Assert.Single(result.Diagnostics).ToString());
        Assert.Null(result.Test);
    }

    [Fact]
    public void Parsing_goes_on_after_errors_and_orders_diagnostics_by_position()
    {
        var text = """
            X86 T
            Expected=Maybe
            { x=0; 0:FOO=1; }
             P0          | P1          ;
             MOV [x],$1  | FROB EAX    ;
             MOV EAX,[y  | MOV EAX,[x] ;
            exists (0:EAX=1 /\ 5:EAX=0)
            """;

        var result = LitmusParser.Parse(text, File);

        Assert.Equal(
            [
                "t.litmus:2:10: " + Messages.InvalidExpected("Maybe"),
                "t.litmus:3:10: " + Messages.UnknownRegister("FOO", "X86"),
                "t.litmus:5:16: " + Messages.UnknownMnemonic("FROB", "X86"),
                "t.litmus:6:14: " + Messages.ExpectedToken("]", "after memory operand", "'|'"),
                "t.litmus:7:20: " + Messages.NoSuchThread(5, 2),
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Reports_UnterminatedComment() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0) (* open (* nested *)\n", 5, 14, Messages.UnterminatedComment);

    [Fact]
    public void Reports_UnterminatedString() =>
        Expect("X86 T\n\"no end\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 1, Messages.UnterminatedString);

    [Fact]
    public void Reports_ExpectedTestName() =>
        Expect("X86\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 1, 4, Messages.ExpectedTestName);

    [Fact]
    public void Reports_DuplicateOrdinaryCondition() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\nforall (x=0)\n", 6, 1, Messages.DuplicateOrdinaryCondition);

    [Fact]
    public void Reports_IntegerOutOfRange() =>
        Expect("X86 T\n{ x=18446744073709551616; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 5,
            Messages.IntegerOutOfRange("18446744073709551616"));

    [Fact]
    public void Reports_ExpectedArchitecture() =>
        Expect("PPC T\n{ x=0; }\n P0 ;\n sync ;\nexists (x=0)\n", 1, 1, Messages.ExpectedArchitecture("'PPC'"));

    [Fact]
    public void Reports_ExpectedInfoLineOrInit() =>
        Expect("X86 T\nCycle Fre\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 1, Messages.ExpectedInfoLineOrInit("'Cycle'"));

    [Fact]
    public void Reports_InvalidExpected() =>
        Expect("X86 T\nExpected=Sometimes\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 10, Messages.InvalidExpected("Sometimes"));

    [Fact]
    public void Reports_InvalidPersistence() =>
        Expect("X86 T\nPersistence= fADR\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 13, Messages.InvalidPersistence("fADR"));

    [Fact]
    public void Reports_InvalidCacheLine() =>
        Expect("X86 T\nCacheLine=x 1y\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 11, Messages.InvalidCacheLine("x 1y"));

    [Fact]
    public void Reports_ExpectedInitItem() =>
        Expect("X86 T\n{ x=0; $y=1; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 8, Messages.ExpectedInitItem("'$'"));

    [Fact]
    public void Reports_ExpectedInitSeparator() =>
        Expect("X86 T\n{ x=0 y=0; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 7, Messages.ExpectedInitSeparator("'y'"));

    [Fact]
    public void Reports_ExpectedValue() =>
        Expect("X86 T\n{ x=; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 5, Messages.ExpectedValue("';'"));

    [Fact]
    public void Reports_ExpectedRegister() =>
        Expect("X86 T\n{ 0:=1; }\n P0 ;\n MFENCE ;\nexists (x=0)\n", 2, 5, Messages.ExpectedRegister(0, "'='"));

    [Fact]
    public void Reports_UnknownRegister() =>
        Expect("AArch64 T\n{ 0:X1=x; }\n P0          ;\n LDR W0,[X1] ;\nexists (0:Q0=1)\n", 5, 11,
            Messages.UnknownRegister("Q0", "AArch64"));

    [Fact]
    public void Reports_NoSuchThread() =>
        Expect("X86 T\n{ 2:EAX=0; }\n P0 | P1 ;\n MFENCE | MFENCE ;\nexists (x=0)\n", 2, 3, Messages.NoSuchThread(2, 2));

    [Fact]
    public void Reports_ExpectedThreadHeader() =>
        Expect("X86 T\n{ x=0; }\n MFENCE ;\nexists (x=0)\n", 3, 2, Messages.ExpectedThreadHeader("'MFENCE'"));

    [Fact]
    public void Reports_ExpectedThreadName() =>
        Expect("X86 T\n{ x=0; }\n P0 | P2 ;\n MFENCE | MFENCE ;\nexists (x=0)\n", 3, 7, Messages.ExpectedThreadName(1, "'P2'"));

    [Fact]
    public void Reports_ExpectedRowEnd() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE\n MFENCE ;\nexists (x=0)\n", 4, 8, Messages.ExpectedRowEnd("end of line"));

    [Fact]
    public void Reports_TooManyColumns() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE | MFENCE | SFENCE ;\nexists (x=0)\n", 4, 11, Messages.TooManyColumns(1, 3));

    [Fact]
    public void Reports_ExpectedInstruction() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n $1 ;\nexists (x=0)\n", 4, 2, Messages.ExpectedInstruction("'$'"));

    [Fact]
    public void Reports_UnknownMnemonic() =>
        Expect("AArch64 T\n{ }\n P0 ;\n LDRX W0,[X1] ;\nexists (0:X0=0)\n", 4, 2, Messages.UnknownMnemonic("LDRX", "AArch64"));

    [Fact]
    public void Reports_WrongOperandCount() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MOV [x] ;\nexists (x=0)\n", 4, 2, Messages.WrongOperandCount("MOV", 2, 2, 1));

    [Fact]
    public void Reports_ExpectedLockable() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n LOCK MOV [x],$1 ;\nexists (x=0)\n", 4, 7, Messages.ExpectedLockable("'MOV'"));

    [Fact]
    public void Reports_ExpectedOperand() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MOV EAX,x ;\nexists (x=0)\n", 4, 10, Messages.ExpectedOperand("'x'"));

    [Fact]
    public void Reports_ExpectedOperandSeparator() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MOV EAX [x] ;\nexists (x=0)\n", 4, 10, Messages.ExpectedOperandSeparator("'['"));

    [Fact]
    public void Reports_ExpectedInteger() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MOV [x],$y ;\nexists (x=0)\n", 4, 11, Messages.ExpectedInteger("$", "'y'"));

    [Fact]
    public void Reports_ExpectedToken() =>
        Expect("X86_64 T\n{ x=0; }\n P0 ;\n movl $1,(x ;\nexists (x=0)\n", 4, 13,
            Messages.ExpectedToken(")", "after memory operand", "';'"));

    [Fact]
    public void Reports_ExpectedToken_for_the_init_block() =>
        Expect("X86 T\n{ x=0;\n", 2, 7, Messages.ExpectedToken("}", "to close the init block", "end of file"));

    [Fact]
    public void Reports_ExpectedToken_for_parentheses() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0 /\\ (x=1)\n", 5, 21, Messages.ExpectedToken(")", "to close '('", "end of file"));

    [Fact]
    public void Reports_ExpectedMemoryTerm() =>
        Expect("AArch64 T\n{ }\n P0 ;\n LDR W0,[#8] ;\nexists (0:X0=0)\n", 4, 10, Messages.ExpectedMemoryTerm("'#'"));

    [Fact]
    public void Reports_ExpectedExtend() =>
        Expect("AArch64 T\n{ }\n P0 ;\n LDR W0,[X1,W2,ROR] ;\nexists (0:X0=0)\n", 4, 16, Messages.ExpectedExtend("'ROR'"));

    [Fact]
    public void Reports_ExpectedShift() =>
        Expect("AArch64 T\n{ }\n P0 ;\n LDR W0,[X1,X2,LSL #64] ;\nexists (0:X0=0)\n", 4, 21, Messages.ExpectedShift("'64'"));

    [Fact]
    public void Reports_ExpectedOption() =>
        Expect("AArch64 T\n{ }\n P0 ;\n DMB FULL ;\nexists (0:X0=0)\n", 4, 6,
            Messages.ExpectedOption("DMB", "SY, ST, LD, ISH, ISHST, ISHLD, NSH, NSHST, NSHLD, OSH, OSHST, OSHLD", "'FULL'"));

    [Fact]
    public void Reports_ExpectedBranchTarget() =>
        Expect("AArch64 T\n{ }\n P0 ;\n CBZ W0,#4 ;\nexists (0:X0=0)\n", 4, 9, Messages.ExpectedBranchTarget("CBZ", "'#4'"));

    [Fact]
    public void Reports_UndefinedLabel() =>
        Expect("X86 T\n{ x=0; }\n P0     | P1  ;\n JNE L1 | L1: ;\nexists (x=0)\n", 4, 6, Messages.UndefinedLabel("L1", 0));

    [Fact]
    public void Reports_DuplicateLabel() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n L0: MFENCE ;\n L0: ;\nexists (x=0)\n", 5, 2, Messages.DuplicateLabel("L0", 0));

    [Fact]
    public void Reports_ExpectedLocation() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nlocations [x; $;]\nexists (x=0)\n", 5, 15, Messages.ExpectedLocation("'$'"));

    [Fact]
    public void Reports_ExpectedLocationsSeparator() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nlocations [x y]\nexists (x=0)\n", 5, 14, Messages.ExpectedLocationsSeparator("'y'"));

    [Fact]
    public void Reports_ExpectedEquals() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (0:EAX 1)\n", 5, 15, Messages.ExpectedEquals("'1'"));

    [Fact]
    public void Reports_ExpectedProposition() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0 /\\ )\n", 5, 16, Messages.ExpectedProposition("')'"));

    [Fact]
    public void Reports_NestingTooDeep() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (" + new string('~', 101) + "x=0)\n", 5, 113,
            Messages.NestingTooDeep(Parser.MaxPropositionDepth));

    [Fact]
    public void Reports_ExpectedCondition() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\n", 4, 10, Messages.ExpectedCondition("end of file"));

    [Fact]
    public void Reports_ExpectedExists() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\n~forall (x=0)\n", 5, 2, Messages.ExpectedExists("'forall'"));

    [Fact]
    public void Reports_ExpectedQuantifier() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\ncrash (x=0)\n", 5, 7, Messages.ExpectedQuantifier("'('"));

    [Fact]
    public void Reports_ExpectedEndOfFile() =>
        Expect("X86 T\n{ x=0; }\n P0 ;\n MFENCE ;\nexists (x=0) junk\n", 5, 14, Messages.ExpectedEndOfFile("'junk'"));

    private static void Expect(string text, int line, int column, string message)
    {
        var result = LitmusParser.Parse(text, File);

        Assert.Null(result.Test);
        Assert.Contains($"{File}:{line}:{column}: {message}", result.Diagnostics.Select(d => d.ToString()));
    }
}
