using Coherence.Checking.Litmus;
using Coherence.Text.Litmus.Printing;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Lowering;


/// <summary>Lowering of thread code and propositions.</summary>
public sealed partial class LitmusLowering
{
    private LitmusThread LowerThread(ThreadCode thread)
    {
        var t = thread.Id;
        if (!arm)
        {
            Register(t, "RAX");
        }
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var line in thread.Lines)
        {
            if (line.Label is { } label)
            {
                labels[label] = index;
            }
            if (line.Instruction is not null)
            {
                index++;
            }
        }
        var ops = new List<LitmusOp>();
        foreach (var line in thread.Lines)
        {
            if (line.Instruction is { } ins)
            {
                ops.Add(arm ? LowerArm64Instruction(t, ins, labels) : LowerInstruction(t, ins, labels));
            }
        }
        var initial = new List<long>();
        foreach (var item in test.Init)
        {
            if (item.Target is RegisterLocation r && r.Thread == t)
            {
                var i = Register(t, r.Register);
                while (initial.Count <= i)
                {
                    initial.Add(0);
                }
                initial[i] = item.Value switch
                {
                    IntegerValue v => v.Value,
                    AddressValue a when LocationIndex(a.Symbol) >= 0 => (long)LitmusExecution.AddressOf(locations[LocationIndex(a.Symbol)]),
                    _ => 0,
                };
            }
        }
        while (initial.Count < registerNames[t].Count)
        {
            initial.Add(0);
        }
        return new LitmusThread(t, ops, [], initial);
    }

    private LitmusOp LowerInstruction(int t, Instruction ins, Dictionary<string, int> labels)
    {
        var text = LitmusPrinter.FormatInstruction(test.Architecture, ins);
        var line = ins.Location.Line;
        InstructionSet.For(test.Architecture).TryGetMnemonic(ins.Mnemonic, out var info);
        var family = info?.Family ?? ins.Mnemonic.ToUpperInvariant();
        var operands = ins.Operands.ToList();
        if (att && operands.Count == 2)
        {
            operands.Reverse();
        }
        var size = AccessSize(ins);
        LitmusOp Fail(string message)
        {
            Error(ins, message);
            return new LitmusOp(LitmusOpKind.Nop, text, line);
        }
        MemoryRef Mem(MemoryOperand m)
        {
            if (m.Symbol is { } sym)
            {
                return new MemoryRef(LocationIndex(sym), -1, m.Offset);
            }
            return new MemoryRef(-1, m.Base is null ? -1 : Register(t, m.Base), m.Offset);
        }
        int SizeOf(MemoryOperand m) => size > 0 ? size : m.Symbol is { } s ? locations[LocationIndex(s)].Size : 8;
        (int Reg, long Imm) Source(Operand o) => o switch
        {
            RegisterOperand r => (Register(t, r.Name), 0),
            ImmediateOperand i => (-1, i.Value),
            _ => (-2, 0),
        };
        switch (family)
        {
            case "MOV":
                {
                    if (operands.Count != 2)
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "two operands"));
                    }
                    var (dst, src) = (operands[0], operands[1]);
                    if (dst is MemoryOperand dm && src is not MemoryOperand)
                    {
                        var (reg, imm) = Source(src);
                        return new LitmusOp(LitmusOpKind.Store, text, line, SizeOf(dm), Mem(dm), Source: reg, Immediate: imm);
                    }
                    if (dst is RegisterOperand dr && src is MemoryOperand sm)
                    {
                        return new LitmusOp(LitmusOpKind.Load, text, line, SizeOf(sm), Mem(sm), Dest: Register(t, dr.Name));
                    }
                    if (dst is RegisterOperand d2 && src is RegisterOperand or ImmediateOperand)
                    {
                        var (reg, imm) = Source(src);
                        return new LitmusOp(LitmusOpKind.Alu, text, line, Math.Max(size, RegisterWidth(d2.Name)), Dest: Register(t, d2.Name), Source: reg, Immediate: imm, Alu: AluOp.Mov);
                    }
                    return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register or memory destination and a different kind of source"));
                }
            case "MOVNTI":
                if (operands is [MemoryOperand nm, RegisterOperand nr])
                {
                    return new LitmusOp(LitmusOpKind.NtStore, text, line, Math.Max(4, SizeOf(nm)), Mem(nm), Source: Register(t, nr.Name));
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a memory destination and a register source"));
            case "XCHG":
                {
                    var (m, r) = operands switch
                    {
                        [MemoryOperand a, RegisterOperand b] => (a, b),
                        [RegisterOperand b, MemoryOperand a] => (a, b),
                        _ => (null, null),
                    };
                    if (m is null || r is null)
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a memory operand and a register"));
                    }
                    var reg = Register(t, r.Name);
                    return new LitmusOp(LitmusOpKind.Rmw, text, line, SizeOf(m), Mem(m), Dest: reg, Source: reg, Rmw: RmwOp.Exchange);
                }
            case "XADD":
                if (operands is [MemoryOperand xm, RegisterOperand xr])
                {
                    var reg = Register(t, xr.Name);
                    return new LitmusOp(LitmusOpKind.Rmw, text, line, SizeOf(xm), Mem(xm), Dest: reg, Source: reg, Rmw: RmwOp.FetchAdd);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a memory destination and a register"));
            case "CMPXCHG":
                if (operands is [MemoryOperand cm, RegisterOperand cr])
                {
                    return new LitmusOp(LitmusOpKind.Rmw, text, line, SizeOf(cm), Mem(cm), Dest: Register(t, "RAX"), Source: Register(t, cr.Name), Rmw: RmwOp.CompareExchange);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a memory destination and a register"));
            case "ADD" or "SUB" or "XOR" or "AND" or "OR" or "INC" or "DEC":
                {
                    var alu = family switch
                    {
                        "ADD" or "INC" => AluOp.Add,
                        "SUB" or "DEC" => AluOp.Sub,
                        "XOR" => AluOp.Xor,
                        "AND" => AluOp.And,
                        _ => AluOp.Or,
                    };
                    var unary = family is "INC" or "DEC";
                    if (operands.Count != (unary ? 1 : 2))
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, unary ? "one operand" : "two operands"));
                    }
                    var (reg, imm) = unary ? (-1, 1L) : Source(operands[1]);
                    if (reg == -2)
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register or immediate source"));
                    }
                    if (operands[0] is MemoryOperand am)
                    {
                        if (!ins.Lock)
                        {
                            return Fail(LoweringMessages.UnlockedMemoryArithmetic);
                        }
                        return new LitmusOp(LitmusOpKind.Rmw, text, line, SizeOf(am), Mem(am), Source: reg, Immediate: imm, Alu: alu, Rmw: RmwOp.Update);
                    }
                    if (operands[0] is RegisterOperand ar)
                    {
                        return new LitmusOp(LitmusOpKind.Alu, text, line, Math.Max(size, RegisterWidth(ar.Name)), Dest: Register(t, ar.Name), Source: reg, Immediate: imm, Alu: alu);
                    }
                    return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register or memory destination"));
                }
            case "CMP":
                if (operands.Count == 2 && operands[0] is RegisterOperand cmpReg && Source(operands[1]) is var (sr, si) && sr != -2)
                {
                    return new LitmusOp(LitmusOpKind.Cmp, text, line, Math.Max(size, RegisterWidth(cmpReg.Name)), Dest: Register(t, cmpReg.Name), Source: sr, Immediate: si);
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a register and a register or immediate"));
            case "JMP" or "JE" or "JZ" or "JNE" or "JNZ":
                {
                    if (operands is not [LabelOperand lo])
                    {
                        return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a label"));
                    }
                    if (!labels.TryGetValue(lo.Name, out var target))
                    {
                        return Fail(LoweringMessages.UnknownLabel(lo.Name));
                    }
                    var cond = family switch
                    {
                        "JMP" => BranchCondition.Always,
                        "JE" or "JZ" => BranchCondition.Equal,
                        _ => BranchCondition.NotEqual,
                    };
                    return new LitmusOp(LitmusOpKind.Branch, text, line, Condition: cond, Target: target);
                }
            case "MFENCE":
                return new LitmusOp(LitmusOpKind.Mfence, text, line);
            case "SFENCE":
                return new LitmusOp(LitmusOpKind.Sfence, text, line);
            case "LFENCE":
                return new LitmusOp(LitmusOpKind.Lfence, text, line);
            case "WBINVD":
                return new LitmusOp(LitmusOpKind.Wbinvd, text, line);
            case "NOP":
                return new LitmusOp(LitmusOpKind.Nop, text, line);
            case "CLFLUSH" or "CLFLUSHOPT" or "CLWB":
                if (operands is [MemoryOperand fm])
                {
                    var kind = family switch
                    {
                        "CLFLUSH" => LitmusOpKind.Clflush,
                        "CLFLUSHOPT" => LitmusOpKind.Clflushopt,
                        _ => LitmusOpKind.Clwb,
                    };
                    return new LitmusOp(kind, text, line, 8, Mem(fm));
                }
                return Fail(LoweringMessages.OperandShape(ins.Mnemonic, "a memory operand"));
            default:
                return Fail(LoweringMessages.UnsupportedInstruction(ins.Mnemonic));
        }
    }

    private void AddObservable(StateLocation loc, List<Observable> observables)
    {
        var o = ObservableOf(loc);
        if (!observables.Contains(o))
        {
            observables.Add(o);
        }
    }

    private Observable ObservableOf(StateLocation loc) => loc switch
    {
        RegisterLocation r => new Observable(r.Thread, Register(r.Thread, r.Register), $"{r.Thread}:{r.Register}"),
        MemoryLocation m => new Observable(-1, LocationIndex(m.Name), m.Name),
        _ => throw new InvalidOperationException("unknown location kind"),
    };

    private Prop LowerProp(Proposition p, bool crash, List<Observable>? observables, List<int>? crashLocations)
    {
        switch (p)
        {
            case EqualsAtom a:
                {
                    if (crash && a.Target is RegisterLocation r)
                    {
                        Error(a, LoweringMessages.RegisterInCrashCondition(r.ToString()));
                    }
                    var o = ObservableOf(a.Target);
                    if (observables is not null && !observables.Contains(o))
                    {
                        observables.Add(o);
                    }
                    if (crashLocations is not null && o.Thread < 0 && !crashLocations.Contains(o.Index))
                    {
                        crashLocations.Add(o.Index);
                    }
                    var value = a.Value switch
                    {
                        IntegerValue v => v.Value,
                        AddressValue av when LocationIndex(av.Symbol) >= 0 => (long)LitmusExecution.AddressOf(locations[LocationIndex(av.Symbol)]),
                        _ => 0,
                    };
                    return new EqProp(o, value);
                }
            case ConstantProposition c:
                return new ConstProp(c.Value);
            case NotProposition n:
                return new NotProp(LowerProp(n.Operand, crash, observables, crashLocations));
            case BinaryProposition b:
                return new BinProp(b.Connective switch
                {
                    BinaryConnective.And => '&',
                    BinaryConnective.Or => '|',
                    _ => '>',
                }, LowerProp(b.Left, crash, observables, crashLocations), LowerProp(b.Right, crash, observables, crashLocations));
            default:
                return new ConstProp(false);
        }
    }
}
