using Coherence.Checking.Litmus;
using Coherence.Text.Litmus.Printing;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Lowering;

/// <summary>Lowering of AArch64 instructions (destination first; W registers are the low halves of X registers).</summary>
public sealed partial class LitmusLowering
{
    /// <summary>The canonical name of an AArch64 register: the X form (W3 → X3, WSP → SP); XZR for both zero registers.</summary>
    internal static string CanonicalArm64Register(string name)
    {
        var n = name.ToUpperInvariant();
        return n switch
        {
            "WZR" or "XZR" => "XZR",
            "WSP" or "SP" => "SP",
            _ when n.Length >= 2 && n[0] == 'W' && char.IsAsciiDigit(n[1]) => "X" + n[1..],
            _ => n,
        };
    }

    private static bool IsZeroRegister(string name) => CanonicalArm64Register(name) == "XZR";

    private static int Arm64Width(string name) => name.ToUpperInvariant() is var n && n.StartsWith('W') ? 4 : 8;

    /// <summary>A register operand's index for reading or writing; -1 for the zero register.</summary>
    private int ArmRegister(int t, string name) => IsZeroRegister(name) ? -1 : Register(t, name);

    private LitmusOp LowerArm64Instruction(int t, Instruction ins, Dictionary<string, int> labels)
    {
        var text = LitmusPrinter.FormatInstruction(test.Architecture, ins);
        var line = ins.Location.Line;
        var mnemonic = ins.Mnemonic.ToUpperInvariant();
        var operands = ins.Operands.ToList();
        LitmusOp Fail(string message)
        {
            Error(ins, message);
            return new LitmusOp(LitmusOpKind.Nop, text, line);
        }
        MemoryRef? Mem(Operand o)
        {
            if (o is not MemoryOperand m)
            {
                return null;
            }
            if (m.Symbol is { } sym)
            {
                return new MemoryRef(LocationIndex(sym), -1, m.Offset);
            }
            if (m.Base is null || IsZeroRegister(m.Base))
            {
                return null;
            }
            var extend = m.Extend?.ToUpperInvariant() switch
            {
                "SXTW" => IndexExtend.Sxtw,
                "UXTW" => IndexExtend.Uxtw,
                _ => IndexExtend.None,
            };
            var index = m.Index is null ? -1 : ArmRegister(t, m.Index);
            return new MemoryRef(-1, Register(t, m.Base), m.Offset, index, m.Shift, extend);
        }
        (int Reg, long Imm, bool Ok) Source(Operand o) => o switch
        {
            RegisterOperand r => (ArmRegister(t, r.Name), 0, true),
            ImmediateOperand i => (-1, i.Value, true),
            _ => (-1, 0, false),
        };
        switch (mnemonic)
        {
            case "MOV":
                if (operands is [RegisterOperand md, var ms] && Source(ms) is (var mr, var mi, true))
                {
                    return new LitmusOp(LitmusOpKind.Alu3, text, line, Arm64Width(md.Name), Dest: ArmRegister(t, md.Name), Source: mr, Immediate: mi, Alu: AluOp.Mov);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a register or immediate"));
            case "ADD" or "SUB" or "EOR" or "AND" or "ORR":
                if (operands is [RegisterOperand ad, RegisterOperand al, var asrc] && Source(asrc) is (var ar, var ai, true))
                {
                    var alu = mnemonic switch
                    {
                        "ADD" => AluOp.Add,
                        "SUB" => AluOp.Sub,
                        "EOR" => AluOp.Xor,
                        "AND" => AluOp.And,
                        _ => AluOp.Or,
                    };
                    return new LitmusOp(LitmusOpKind.Alu3, text, line, Arm64Width(ad.Name), Dest: ArmRegister(t, ad.Name), Source: ar, Immediate: ai, Alu: alu, Left: ArmRegister(t, al.Name));
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a destination register, a register and a register or immediate"));
            case "CMP":
                if (operands is [RegisterOperand cl, var cs] && Source(cs) is (var cr, var ci, true))
                {
                    return new LitmusOp(LitmusOpKind.Cmp, text, line, Arm64Width(cl.Name), Dest: ArmRegister(t, cl.Name), Source: cr, Immediate: ci);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a register or immediate"));
            case "LDR" or "LDAR" or "LDAPR" or "LDXR" or "LDAXR":
                {
                    if (operands is [RegisterOperand ld, var lm] && Mem(lm) is { } lref)
                    {
                        var order = mnemonic switch
                        {
                            "LDAR" or "LDAXR" => AccessOrder.Acquire,
                            "LDAPR" => AccessOrder.AcquirePc,
                            _ => AccessOrder.Plain,
                        };
                        var kind = mnemonic is "LDXR" or "LDAXR" ? LitmusOpKind.LoadExclusive : LitmusOpKind.Load;
                        return new LitmusOp(kind, text, line, Arm64Width(ld.Name), lref, Dest: ArmRegister(t, ld.Name), Order: order);
                    }
                    return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a memory operand with a base register"));
                }
            case "STR" or "STLR":
                if (operands is [RegisterOperand sd, var sm] && Mem(sm) is { } sref)
                {
                    return new LitmusOp(LitmusOpKind.Store, text, line, Arm64Width(sd.Name), sref, Source: ArmRegister(t, sd.Name),
                        Order: mnemonic == "STLR" ? AccessOrder.Release : AccessOrder.Plain);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a memory operand with a base register"));
            case "STXR" or "STLXR":
                if (operands is [RegisterOperand xs, RegisterOperand xd, var xm] && Mem(xm) is { } xref)
                {
                    return new LitmusOp(LitmusOpKind.StoreExclusive, text, line, Arm64Width(xd.Name), xref, Dest: ArmRegister(t, xs.Name),
                        Source: ArmRegister(t, xd.Name), Order: mnemonic == "STLXR" ? AccessOrder.Release : AccessOrder.Plain);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a status register, a data register and a memory operand"));
            case "CBZ" or "CBNZ":
                {
                    if (operands is not [RegisterOperand cb, LabelOperand cbl])
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a label"));
                    }
                    if (!labels.TryGetValue(cbl.Name, out var target))
                    {
                        return Fail(LoweringMessages.UnknownLabel(cbl.Name));
                    }
                    return new LitmusOp(LitmusOpKind.Branch, text, line, Arm64Width(cb.Name), Source: ArmRegister(t, cb.Name),
                        Condition: mnemonic == "CBZ" ? BranchCondition.RegisterZero : BranchCondition.RegisterNonZero, Target: target);
                }
            case "NOP":
                return new LitmusOp(LitmusOpKind.Nop, text, line);
            case "ISB":
                return new LitmusOp(LitmusOpKind.Isb, text, line);
            case "DMB" or "DSB":
                {
                    var option = operands is [OptionOperand o] ? o.Name.ToUpperInvariant() : "SY";
                    var scope = option.EndsWith("LD", StringComparison.Ordinal) ? BarrierScope.Loads
                        : option.EndsWith("ST", StringComparison.Ordinal) ? BarrierScope.Stores : BarrierScope.Full;
                    return new LitmusOp(mnemonic == "DMB" ? LitmusOpKind.Dmb : LitmusOpKind.Dsb, text, line, Barrier: scope);
                }
            case "DC":
                {
                    if (operands is not [OptionOperand dop, RegisterOperand dreg] || IsZeroRegister(dreg.Name))
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "an operation and an address register"));
                    }
                    CacheOp? op = dop.Name.ToUpperInvariant() switch
                    {
                        "CVAC" => CacheOp.CleanToCoherence,
                        "CVAP" or "CVADP" => CacheOp.CleanToPersistence,
                        "CIVAC" => CacheOp.CleanInvalidate,
                        "IVAC" => CacheOp.Invalidate,
                        "ZVA" => CacheOp.Zero,
                        _ => null,
                    };
                    if (op is not { } cacheOp)
                    {
                        return Fail(LoweringMessages.UnsupportedOption(ins.Mnemonic, dop.Name));
                    }
                    return new LitmusOp(LitmusOpKind.DataCache, text, line, 8, new MemoryRef(-1, Register(t, dreg.Name), 0), Cache: cacheOp);
                }
            default:
                if (mnemonic == "B" || mnemonic.StartsWith("B.", StringComparison.Ordinal))
                {
                    if (operands is not [LabelOperand bl])
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a label"));
                    }
                    if (!labels.TryGetValue(bl.Name, out var target))
                    {
                        return Fail(LoweringMessages.UnknownLabel(bl.Name));
                    }
                    var cond = mnemonic == "B" ? BranchCondition.Always : mnemonic[2..] switch
                    {
                        "EQ" => BranchCondition.Equal,
                        "NE" => BranchCondition.NotEqual,
                        "CS" or "HS" => BranchCondition.CarrySet,
                        "CC" or "LO" => BranchCondition.CarryClear,
                        "MI" => BranchCondition.Minus,
                        "PL" => BranchCondition.Plus,
                        "VS" => BranchCondition.Overflow,
                        "VC" => BranchCondition.NoOverflow,
                        "HI" => BranchCondition.Higher,
                        "LS" => BranchCondition.LowerOrSame,
                        "GE" => BranchCondition.GreaterOrEqual,
                        "LT" => BranchCondition.Less,
                        "GT" => BranchCondition.Greater,
                        "LE" => BranchCondition.LessOrEqual,
                        _ => BranchCondition.Always,
                    };
                    return new LitmusOp(LitmusOpKind.Branch, text, line, Condition: cond, Target: target);
                }
                return Fail(LoweringMessages.UnsupportedInstruction(ins.Mnemonic));
        }
    }
}
