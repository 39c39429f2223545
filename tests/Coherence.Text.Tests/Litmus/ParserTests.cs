using Coherence.Text.Diagnostics;
using Coherence.Text.Litmus.Parsing;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Tests.Litmus;

/// <summary>Each construct of the litmus syntax, parsed and checked node by node.</summary>
public class ParserTests
{
    private static LitmusTest Parse(string text)
    {
        var result = LitmusParser.Parse(text, "t.litmus");
        Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Test;
    }

    private static LitmusTest X86(string rows, string condition = "exists (x=0)", string init = "{ x=0; }") =>
        Parse($"X86 T\n{init}\n{rows}\n{condition}\n");

    private static Instruction Single(Architecture architecture, string cell)
    {
        var name = architecture switch
        {
            Architecture.X86 => "X86",
            Architecture.X86_64 => "X86_64",
            _ => "AArch64",
        };
        var test = Parse($"{name} T\n{{}}\n P0 ;\n {cell} ;\nexists (x=0)\n");
        return Assert.Single(test.Threads[0].Lines).Instruction!;
    }

    private static MemoryOperand Mem(string? symbol, string? baseRegister = null, string? index = null, long offset = 0,
        string? extend = null, int shift = 0) => new(symbol, baseRegister, index, offset, extend, shift);

    [Theory]
    [InlineData("X86", Architecture.X86)]
    [InlineData("X86_64", Architecture.X86_64)]
    [InlineData("AArch64", Architecture.AArch64)]
    public void Header_names_the_architecture(string name, Architecture architecture) =>
        Assert.Equal(architecture, Parse($"{name} T\n{{}}\n P0 ;\n ;\nexists (x=0)\n").Architecture);

    [Theory]
    [InlineData("SB+mfences")]
    [InlineData("MP+dmb.st+addr")]
    [InlineData("2+2W")]
    [InlineData("co-iriw.x-y_3")]
    public void Header_test_names_keep_their_punctuation(string name) =>
        Assert.Equal(name, Parse($"X86 {name}\n{{}}\n P0 ;\nexists (x=0)\n").Name);

    [Fact]
    public void Description_and_info_lines_keep_their_order()
    {
        var test = Parse("""
            X86 SB
            "Fre PodWR Fre PodWR"
            Cycle=Fre PodWR Fre PodWR
            Generator=diy7 (version 7.54+01(dev))
            Com = Fr Fr
            Expected=Allowed
            {}
             P0 ;
            exists (x=0)
            """);

        Assert.Equal("Fre PodWR Fre PodWR", test.Description);
        Assert.Equal(
            [
                new InfoLine("Cycle", "Fre PodWR Fre PodWR"),
                new InfoLine("Generator", "diy7 (version 7.54+01(dev))"),
                new InfoLine("Com", "Fr Fr"),
                new InfoLine("Expected", "Allowed"),
            ],
            test.Info);
        Assert.Equal(Expectation.Allowed, test.Expected);
        Assert.Equal("Fr Fr", test.GetInfo("Com"));
        Assert.Null(test.GetInfo("Orig"));
    }

    [Fact]
    public void Description_may_follow_the_name_on_the_first_line() =>
        Assert.Equal("doc", Parse("X86 T \"doc\"\n{}\n P0 ;\nexists (x=0)\n").Description);

    [Fact]
    public void Cache_lines_persistence_and_expected_are_read_from_info_lines()
    {
        var test = Parse("X86 T\nCacheLine=x y\nCacheLine=a,b c\nPersistence=eADR\nExpected=forbidden\n{}\n P0 ;\nexists (x=0)\n");

        Assert.Equal([["x", "y"], ["a", "b", "c"]], test.CacheLines.Select(g => g.ToArray()).ToArray());
        Assert.Equal(PersistenceDomain.Eadr, test.Persistence);
        Assert.Equal(Expectation.Forbidden, test.Expected);
    }

    [Fact]
    public void Persistence_defaults_to_adr_and_expected_to_none()
    {
        var test = Parse("X86 T\n{}\n P0 ;\nexists (x=0)\n");

        Assert.Equal(PersistenceDomain.Adr, test.Persistence);
        Assert.Null(test.Expected);
        Assert.Empty(test.CacheLines);
    }

    [Fact]
    public void Comments_nest_and_line_comments_run_to_the_end_of_the_line()
    {
        var test = Parse("""
            (* leading (* nested *) comment *)
            X86 T
            { x=0; (* in init *) y=1; } // after init
             P0         (* between cells *) ;
             MOV [x],$1 ; // a line comment
            exists (x=1) (* trailing *)
            """);

        Assert.Equal(2, test.Init.Count);
        Assert.Single(test.Threads[0].Lines);
    }

    [Fact]
    public void Init_items_of_every_form()
    {
        var test = Parse("""
            AArch64 T
            { x=1; 0:X0=x; 0:X1=-1; int64_t X = 0; uint64_t y; int z=0x10; uint64_t 1:X2=2; 1:w3=y; }
             P0 | P1 ;
            exists (x=0)
            """);

        Assert.Equal(
            [
                new InitItem(null, new MemoryLocation("x"), new IntegerValue(1)),
                new InitItem(null, new RegisterLocation(0, "X0"), new AddressValue("x")),
                new InitItem(null, new RegisterLocation(0, "X1"), new IntegerValue(-1)),
                new InitItem("int64_t", new MemoryLocation("X"), new IntegerValue(0)),
                new InitItem("uint64_t", new MemoryLocation("y"), null),
                new InitItem("int", new MemoryLocation("z"), new IntegerValue(16)),
                new InitItem("uint64_t", new RegisterLocation(1, "X2"), new IntegerValue(2)),
                new InitItem(null, new RegisterLocation(1, "W3"), new AddressValue("y")),
            ],
            test.Init);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{ }")]
    [InlineData("{\n}")]
    public void Init_may_be_empty(string init) => Assert.Empty(X86(" P0 ;", init: init).Init);

    [Fact]
    public void Integers_are_64_bit_twos_complement()
    {
        var test = X86(" P0 ;", init: "{ a=0xffffffffffffffff; b=18446744073709551615; c=-9223372036854775808; d=9223372036854775807; }");

        Assert.Equal(
            [-1L, -1L, long.MinValue, long.MaxValue],
            test.Init.Select(i => ((IntegerValue)i.Value!).Value));
    }

    [Fact]
    public void Threads_are_columns_with_empty_cells_dropped_and_labels_kept()
    {
        var test = X86("""
             P0          | P1          | P2 ;
             MOV [x],$1  |             | L0: ;
             L1:         | MOV EAX,[x] |     ;
             L2: MFENCE  | JMP L3      |     ;
                         | L3:         |     ;
            """);

        Assert.Equal([0, 1, 2], test.Threads.Select(t => t.Id));
        Assert.Equal([null, "L1", "L2"], test.Threads[0].Lines.Select(l => l.Label));
        Assert.Null(test.Threads[0].Lines[1].Instruction);
        Assert.Equal("MFENCE", test.Threads[0].Lines[2].Instruction!.Mnemonic);
        Assert.Equal(3, test.Threads[1].Lines.Count);
        Assert.Equal(new CodeLine("L0", null), Assert.Single(test.Threads[2].Lines));
    }

    [Fact]
    public void Threads_may_be_empty_and_rows_may_be_short()
    {
        var test = X86(" P0 | P1 ;\n MFENCE ;");

        Assert.Single(test.Threads[0].Lines);
        Assert.Empty(test.Threads[1].Lines);
    }

    public static TheoryData<string, Instruction> X86Instructions() => new()
    {
        { "MOV [x],$1", new("MOV", [Mem("x"), new ImmediateOperand(1)]) },
        { "MOV [x],EAX", new("MOV", [Mem("x"), new RegisterOperand("EAX")]) },
        { "MOV EAX,[y]", new("MOV", [new RegisterOperand("EAX"), Mem("y")]) },
        { "mov eax,$-1", new("MOV", [new RegisterOperand("EAX"), new ImmediateOperand(-1)]) },
        { "MOV RAX,[x+8]", new("MOV", [new RegisterOperand("RAX"), Mem("x", offset: 8)]) },
        { "MOV R8D,[EBX+ECX-4]", new("MOV", [new RegisterOperand("R8D"), Mem(null, "EBX", "ECX", -4)]) },
        { "MFENCE", new("MFENCE", []) },
        { "SFENCE", new("SFENCE", []) },
        { "LFENCE", new("LFENCE", []) },
        { "XCHG [x],EAX", new("XCHG", [Mem("x"), new RegisterOperand("EAX")]) },
        { "LOCK XADD [x],EAX", new("XADD", [Mem("x"), new RegisterOperand("EAX")], Lock: true) },
        { "LOCK ADD [x],$2", new("ADD", [Mem("x"), new ImmediateOperand(2)], Lock: true) },
        { "LOCK INC [x]", new("INC", [Mem("x")], Lock: true) },
        { "LOCK DEC [x]", new("DEC", [Mem("x")], Lock: true) },
        { "LOCK CMPXCHG [x],EBX", new("CMPXCHG", [Mem("x"), new RegisterOperand("EBX")], Lock: true) },
        { "ADD EAX,EBX", new("ADD", [new RegisterOperand("EAX"), new RegisterOperand("EBX")]) },
        { "SUB EAX,$1", new("SUB", [new RegisterOperand("EAX"), new ImmediateOperand(1)]) },
        { "XOR EAX,EAX", new("XOR", [new RegisterOperand("EAX"), new RegisterOperand("EAX")]) },
        { "AND ESI,$0xff", new("AND", [new RegisterOperand("ESI"), new ImmediateOperand(255)]) },
        { "OR EDI,$1", new("OR", [new RegisterOperand("EDI"), new ImmediateOperand(1)]) },
        { "INC EDX", new("INC", [new RegisterOperand("EDX")]) },
        { "CMP EAX,$1", new("CMP", [new RegisterOperand("EAX"), new ImmediateOperand(1)]) },
        { "CLFLUSH [x]", new("CLFLUSH", [Mem("x")]) },
        { "CLFLUSHOPT [x]", new("CLFLUSHOPT", [Mem("x")]) },
        { "CLWB [x]", new("CLWB", [Mem("x")]) },
        { "MOVNTI [x],EAX", new("MOVNTI", [Mem("x"), new RegisterOperand("EAX")]) },
        { "WBINVD", new("WBINVD", []) },
        { "MOVDIR64B RAX,[x]", new("MOVDIR64B", [new RegisterOperand("RAX"), Mem("x")]) },
    };

    [Theory]
    [MemberData(nameof(X86Instructions))]
    public void X86_instructions_parse_into_operands(string cell, Instruction expected) =>
        Assert.Equal(expected, Single(Architecture.X86, cell));

    [Fact]
    public void X86_branches_take_labels()
    {
        var test = X86(" P0 ;\n L0: CMP EAX,$0 ;\n JNE L0 ;\n JE L1 ;\n JMP L1 ;\n L1: ;");
        var lines = test.Threads[0].Lines;

        Assert.Equal(new Instruction("JNE", [new LabelOperand("L0")]), lines[1].Instruction);
        Assert.Equal(new Instruction("JE", [new LabelOperand("L1")]), lines[2].Instruction);
        Assert.Equal(new Instruction("JMP", [new LabelOperand("L1")]), lines[3].Instruction);
    }

    public static TheoryData<string, Instruction> AttInstructions() => new()
    {
        { "movl $1,(x)", new("movl", [new ImmediateOperand(1), Mem("x")]) },
        { "movl (y),%eax", new("movl", [Mem("y"), new RegisterOperand("eax")]) },
        { "MOVQ %RAX,(x)", new("movq", [new RegisterOperand("rax"), Mem("x")]) },
        { "movq 8(%rax),%r8", new("movq", [Mem(null, "rax", offset: 8), new RegisterOperand("r8")]) },
        { "movq -8(%rax,%rbx),%rcx", new("movq", [Mem(null, "rax", "rbx", -8), new RegisterOperand("rcx")]) },
        { "movq x(%rip),%rcx", new("movq", [Mem("x", "rip"), new RegisterOperand("rcx")]) },
        { "mfence", new("mfence", []) },
        { "sfence", new("sfence", []) },
        { "lfence", new("lfence", []) },
        { "xchgl %eax,(x)", new("xchgl", [new RegisterOperand("eax"), Mem("x")]) },
        { "lock xaddl %eax,(x)", new("xaddl", [new RegisterOperand("eax"), Mem("x")], Lock: true) },
        { "lock incl (x)", new("incl", [Mem("x")], Lock: true) },
        { "lock cmpxchgq %rbx,(x)", new("cmpxchgq", [new RegisterOperand("rbx"), Mem("x")], Lock: true) },
        { "addl $-1,%eax", new("addl", [new ImmediateOperand(-1), new RegisterOperand("eax")]) },
        { "subl %ebx,%eax", new("subl", [new RegisterOperand("ebx"), new RegisterOperand("eax")]) },
        { "cmpl $0,%eax", new("cmpl", [new ImmediateOperand(0), new RegisterOperand("eax")]) },
        { "clflush (x)", new("clflush", [Mem("x")]) },
        { "clflushopt (x)", new("clflushopt", [Mem("x")]) },
        { "clwb (x)", new("clwb", [Mem("x")]) },
        { "movnti %eax,(x)", new("movnti", [new RegisterOperand("eax"), Mem("x")]) },
        { "wbinvd", new("wbinvd", []) },
    };

    [Theory]
    [MemberData(nameof(AttInstructions))]
    public void X86_64_instructions_parse_into_operands(string cell, Instruction expected) =>
        Assert.Equal(expected, Single(Architecture.X86_64, cell));

    [Fact]
    public void X86_64_branches_and_condition_registers_without_percent()
    {
        var test = Parse("X86_64 T\n{ 1:rax=0; }\n P0 | P1 ;\n jne L0 | movl (x),%eax ;\n L0: | ;\nexists (1:rax=0 /\\ 1:EAX=0)\n");

        Assert.Equal(new Instruction("jne", [new LabelOperand("L0")]), test.Threads[0].Lines[0].Instruction);
        Assert.Equal(new RegisterLocation(1, "rax"), test.Init[0].Target);
        var body = (BinaryProposition)test.Conditions[0].Body;
        Assert.Equal(new EqualsAtom(new RegisterLocation(1, "eax"), new IntegerValue(0)), body.Right);
    }

    public static TheoryData<string, Instruction> ArmInstructions() => new()
    {
        { "MOV W0,#1", new("MOV", [new RegisterOperand("W0"), new ImmediateOperand(1)]) },
        { "mov x0,#1", new("MOV", [new RegisterOperand("X0"), new ImmediateOperand(1)]) },
        { "LDR W0,[X1]", new("LDR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "LDR X0,[X1,X2]", new("LDR", [new RegisterOperand("X0"), Mem(null, "X1", "X2")]) },
        { "LDR W0,[X1,#8]", new("LDR", [new RegisterOperand("W0"), Mem(null, "X1", offset: 8)]) },
        { "LDR W3,[X4,W2,SXTW]", new("LDR", [new RegisterOperand("W3"), Mem(null, "X4", "W2", extend: "SXTW")]) },
        { "LDR X3,[X4,X2,LSL #3]", new("LDR", [new RegisterOperand("X3"), Mem(null, "X4", "X2", extend: "LSL", shift: 3)]) },
        { "STR W0,[X1]", new("STR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "LDAR W0,[X1]", new("LDAR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "STLR W0,[X1]", new("STLR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "LDXR W0,[X1]", new("LDXR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "LDAXR W0,[X1]", new("LDAXR", [new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "STXR W2,W0,[X1]", new("STXR", [new RegisterOperand("W2"), new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "STLXR W2,W0,[X1]", new("STLXR", [new RegisterOperand("W2"), new RegisterOperand("W0"), Mem(null, "X1")]) },
        { "DMB SY", new("DMB", [new OptionOperand("SY")]) },
        { "DMB ST", new("DMB", [new OptionOperand("ST")]) },
        { "DMB LD", new("DMB", [new OptionOperand("LD")]) },
        { "dmb ish", new("DMB", [new OptionOperand("ISH")]) },
        { "DMB ISHST", new("DMB", [new OptionOperand("ISHST")]) },
        { "DMB ISHLD", new("DMB", [new OptionOperand("ISHLD")]) },
        { "DSB SY", new("DSB", [new OptionOperand("SY")]) },
        { "DSB ST", new("DSB", [new OptionOperand("ST")]) },
        { "DSB ISH", new("DSB", [new OptionOperand("ISH")]) },
        { "ISB", new("ISB", []) },
        { "ADD W2,W2,#1", new("ADD", [new RegisterOperand("W2"), new RegisterOperand("W2"), new ImmediateOperand(1)]) },
        { "SUB X2,X3,X4", new("SUB", [new RegisterOperand("X2"), new RegisterOperand("X3"), new RegisterOperand("X4")]) },
        { "EOR W2,W0,W0", new("EOR", [new RegisterOperand("W2"), new RegisterOperand("W0"), new RegisterOperand("W0")]) },
        { "AND W2,W0,#255", new("AND", [new RegisterOperand("W2"), new RegisterOperand("W0"), new ImmediateOperand(255)]) },
        { "ORR W2,W0,WZR", new("ORR", [new RegisterOperand("W2"), new RegisterOperand("W0"), new RegisterOperand("WZR")]) },
        { "CMP W0,#1", new("CMP", [new RegisterOperand("W0"), new ImmediateOperand(1)]) },
        { "DC CVAC, X1", new("DC", [new OptionOperand("CVAC"), new RegisterOperand("X1")]) },
        { "DC CVAP, X1", new("DC", [new OptionOperand("CVAP"), new RegisterOperand("X1")]) },
        { "DC CVAP X1", new("DC", [new OptionOperand("CVAP"), new RegisterOperand("X1")]) },
        { "DC CIVAC,X1", new("DC", [new OptionOperand("CIVAC"), new RegisterOperand("X1")]) },
        { "DC IVAC X1", new("DC", [new OptionOperand("IVAC"), new RegisterOperand("X1")]) },
        { "dc zva, x1", new("DC", [new OptionOperand("ZVA"), new RegisterOperand("X1")]) },
    };

    [Theory]
    [MemberData(nameof(ArmInstructions))]
    public void AArch64_instructions_parse_into_operands(string cell, Instruction expected) =>
        Assert.Equal(expected, Single(Architecture.AArch64, cell));

    [Fact]
    public void AArch64_branches_take_labels()
    {
        var test = Parse("AArch64 T\n{}\n P0 ;\n CBZ W0,LC00 ;\n CBNZ X1,LC00 ;\n B.EQ LC00 ;\n b.ne LC00 ;\n B LC00 ;\n LC00: ;\nexists (x=0)\n");
        var lines = test.Threads[0].Lines;

        Assert.Equal(new Instruction("CBZ", [new RegisterOperand("W0"), new LabelOperand("LC00")]), lines[0].Instruction);
        Assert.Equal(new Instruction("CBNZ", [new RegisterOperand("X1"), new LabelOperand("LC00")]), lines[1].Instruction);
        Assert.Equal(new Instruction("B.EQ", [new LabelOperand("LC00")]), lines[2].Instruction);
        Assert.Equal(new Instruction("B.NE", [new LabelOperand("LC00")]), lines[3].Instruction);
        Assert.Equal(new Instruction("B", [new LabelOperand("LC00")]), lines[4].Instruction);
        Assert.Equal(new CodeLine("LC00", null), lines[5]);
    }

    [Fact]
    public void Every_operand_reports_its_kind()
    {
        Assert.Equal(OperandKind.Register, new RegisterOperand("EAX").Kind);
        Assert.Equal(OperandKind.Immediate, new ImmediateOperand(1).Kind);
        Assert.Equal(OperandKind.Memory, Mem("x").Kind);
        Assert.Equal(OperandKind.Label, new LabelOperand("L0").Kind);
        Assert.Equal(OperandKind.Option, new OptionOperand("SY").Kind);
    }

    [Fact]
    public void Locations_and_filter_come_before_the_condition()
    {
        var test = X86(" P0 ;\n MFENCE ;", "locations [x; 0:EAX; [y];]\nfilter (0:EAX=1)\nexists (x=1)");

        Assert.Equal([new MemoryLocation("x"), new RegisterLocation(0, "EAX"), new MemoryLocation("y")], test.Locations!.Value);
        Assert.Equal(new EqualsAtom(new RegisterLocation(0, "EAX"), new IntegerValue(1)), test.Filter);
    }

    [Fact]
    public void Locations_and_filter_are_optional()
    {
        var test = X86(" P0 ;");

        Assert.Null(test.Locations);
        Assert.Null(test.Filter);
    }

    [Theory]
    [InlineData("exists (x=1)", false, Quantifier.Exists)]
    [InlineData("~exists (x=1)", false, Quantifier.NotExists)]
    [InlineData("~ exists (x=1)", false, Quantifier.NotExists)]
    [InlineData("forall (x=1)", false, Quantifier.ForAll)]
    [InlineData("crash exists (x=1)", true, Quantifier.Exists)]
    [InlineData("crash ~exists (x=1)", true, Quantifier.NotExists)]
    [InlineData("crash forall (x=1)", true, Quantifier.ForAll)]
    [InlineData("exists x=1", false, Quantifier.Exists)]
    public void Conditions_of_every_kind(string text, bool crash, Quantifier quantifier)
    {
        var condition = Assert.Single(X86(" P0 ;", text).Conditions);

        Assert.Equal(new Condition(crash, quantifier, new EqualsAtom(new MemoryLocation("x"), new IntegerValue(1))), condition);
    }

    [Fact]
    public void Conditions_keep_their_order_with_one_ordinary_and_several_crash_conditions()
    {
        var test = X86(" P0 ;", "crash exists (x=0)\nexists (x=1)\ncrash ~exists (x=2)\ncrash forall (x=3)");

        Assert.Equal([true, false, true, true], test.Conditions.Select(c => c.Crash));
        Assert.Equal(
            [0L, 1L, 2L, 3L],
            test.Conditions.Select(c => ((IntegerValue)((EqualsAtom)c.Body).Value).Value));
    }

    [Fact]
    public void Atoms_name_registers_memory_and_addresses()
    {
        var body = X86(" P0 ;", @"exists (0:EAX=1 /\ [x]=-2 /\ y=x /\ true /\ ~false)").Conditions[0].Body;

        var expected = And(
            And(
                And(
                    And(Atom(new RegisterLocation(0, "EAX"), new IntegerValue(1)), Atom(new MemoryLocation("x"), new IntegerValue(-2))),
                    Atom(new MemoryLocation("y"), new AddressValue("x"))),
                new ConstantProposition(true)),
            new NotProposition(new ConstantProposition(false)));
        Assert.Equal(expected, body);
    }

    [Fact]
    public void Precedence_is_not_then_and_then_or_then_implies()
    {
        var body = X86(" P0 ;", @"exists (~a=1 /\ b=1 \/ c=1 => d=1 => e=1)").Conditions[0].Body;

        var expected = new BinaryProposition(
            BinaryConnective.Implies,
            new BinaryProposition(BinaryConnective.Or, And(new NotProposition(A("a")), A("b")), A("c")),
            new BinaryProposition(BinaryConnective.Implies, A("d"), A("e")));
        Assert.Equal(expected, body);
    }

    [Fact]
    public void Parentheses_override_precedence_and_and_groups_left()
    {
        var body = X86(" P0 ;", @"exists (a=1 /\ (b=1 \/ c=1) /\ d=1)").Conditions[0].Body;

        var expected = And(And(A("a"), new BinaryProposition(BinaryConnective.Or, A("b"), A("c"))), A("d"));
        Assert.Equal(expected, body);
    }

    [Fact]
    public void Nodes_carry_their_source_location()
    {
        var test = Parse("X86 T\n{ x=0; }\n P0          ;\n MOV EAX,[x] ;\nexists (0:EAX=1)\n");
        var instruction = test.Threads[0].Lines[0].Instruction!;

        Assert.Equal(new SourceLocation("t.litmus", 4, 2), instruction.Location);
        Assert.Equal(new SourceLocation("t.litmus", 4, 10), instruction.Operands[1].Location);
        Assert.Equal(new SourceLocation("t.litmus", 2, 3), test.Init[0].Location);
        Assert.Equal(new SourceLocation("t.litmus", 5, 1), test.Conditions[0].Location);
        Assert.Equal(new SourceLocation("t.litmus", 5, 9), test.Conditions[0].Body.Location);
        Assert.Equal("t.litmus:4:2", instruction.Location.ToString());
    }

    [Fact]
    public void Equality_ignores_source_locations()
    {
        var a = new Instruction("MFENCE", []) { Location = new SourceLocation("a", 1, 1) };
        var b = new Instruction("MFENCE", []) { Location = new SourceLocation("b", 9, 9) };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(new Instruction("MFENCE", []), new Instruction("SFENCE", []));
        Assert.NotEqual<SyntaxNode>(new MemoryLocation("x"), new AddressValue("x"));
    }

    [Fact]
    public void The_mnemonic_table_lists_each_architecture_once()
    {
        Assert.True(InstructionSet.X86.TryGetMnemonic("clwb", out var clwb));
        Assert.Equal("CLWB", clwb.Name);
        Assert.True(InstructionSet.X86_64.TryGetMnemonic("XADDQ", out var xadd));
        Assert.True((xadd.Traits & MnemonicTraits.Lockable) != 0);
        Assert.Equal(("XADD", 8), (xadd.Family, xadd.SuffixBytes));
        Assert.True(InstructionSet.X86_64.TryGetMnemonic("mfence", out var mfence));
        Assert.Equal(("MFENCE", 0), (mfence.Family, mfence.SuffixBytes));
        Assert.False(InstructionSet.X86_64.TryGetMnemonic("clwbl", out _));
        Assert.True(InstructionSet.AArch64.TryGetMnemonic("b.ge", out _));
        Assert.Contains("CVAP", InstructionSet.AArch64.TryGetMnemonic("DC", out var dc) ? dc.Options : []);
        Assert.True(InstructionSet.AArch64.IsRegister("x30"));
        Assert.False(InstructionSet.AArch64.IsRegister("X31"));
        Assert.Same(InstructionSet.X86_64, InstructionSet.For(Architecture.X86_64));
    }

    private static BinaryProposition And(Proposition left, Proposition right) => new(BinaryConnective.And, left, right);

    private static EqualsAtom Atom(StateLocation target, LitmusValue value) => new(target, value);

    private static EqualsAtom A(string name) => new(new MemoryLocation(name), new IntegerValue(1));
}
