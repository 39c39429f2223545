namespace Coherence.Checking.Litmus;

/// <summary>What a litmus instruction does, after lowering from either x86 syntax.</summary>
public enum LitmusOpKind
{
    /// <summary>Register ← memory.</summary>
    Load,

    /// <summary>Memory ← register or immediate (ordinary store).</summary>
    Store,

    /// <summary>Memory ← register (MOVNTI).</summary>
    NtStore,

    /// <summary>Locked read-modify-write of memory; <see cref="LitmusOp.Rmw"/> says which; the old value goes to <see cref="LitmusOp.Dest"/> when set.</summary>
    Rmw,

    /// <summary>MFENCE.</summary>
    Mfence,

    /// <summary>SFENCE.</summary>
    Sfence,

    /// <summary>LFENCE.</summary>
    Lfence,

    /// <summary>CLFLUSH of the operand's line.</summary>
    Clflush,

    /// <summary>CLFLUSHOPT.</summary>
    Clflushopt,

    /// <summary>CLWB.</summary>
    Clwb,

    /// <summary>WBINVD.</summary>
    Wbinvd,

    /// <summary>Register ← register or immediate, or a register-register arithmetic operation.</summary>
    Alu,

    /// <summary>Compare: sets the thread's zero flag.</summary>
    Cmp,

    /// <summary>Jump to <see cref="LitmusOp.Target"/> (conditionally on the zero flag).</summary>
    Branch,

    /// <summary>Nothing.</summary>
    Nop,
}

/// <summary>Arithmetic of <see cref="LitmusOpKind.Alu"/> and of locked memory operations.</summary>
public enum AluOp
{
    /// <summary>Copy.</summary>
    Mov,

    /// <summary>Add.</summary>
    Add,

    /// <summary>Subtract.</summary>
    Sub,

    /// <summary>Exclusive or.</summary>
    Xor,

    /// <summary>And.</summary>
    And,

    /// <summary>Or.</summary>
    Or,
}

/// <summary>The locked read-modify-writes.</summary>
public enum RmwOp
{
    /// <summary>XCHG: memory ← source, destination register ← old.</summary>
    Exchange,

    /// <summary>XADD: memory ← old + source, destination register ← old.</summary>
    FetchAdd,

    /// <summary>CMPXCHG: if memory = accumulator then memory ← source; accumulator ← old.</summary>
    CompareExchange,

    /// <summary>LOCK ADD/SUB/AND/OR/XOR/INC/DEC: memory ← old op source; no register result.</summary>
    Update,
}

/// <summary>Branch conditions.</summary>
public enum BranchCondition
{
    /// <summary>Always.</summary>
    Always,

    /// <summary>When the last compare found equality (JE/JZ).</summary>
    Equal,

    /// <summary>When it did not (JNE/JNZ).</summary>
    NotEqual,
}

/// <summary>A memory operand: a location's address, or a register holding an address, plus an offset.</summary>
/// <param name="Location">The location's index in <see cref="LitmusProgram.Locations"/>, or -1.</param>
/// <param name="BaseRegister">The register holding an address, or -1.</param>
/// <param name="Offset">Byte offset.</param>
public readonly record struct MemoryRef(int Location, int BaseRegister, long Offset);

/// <summary>One lowered instruction. Unused fields are -1 or 0.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Text">The instruction as written (for traces).</param>
/// <param name="Line">Its line in the file.</param>
/// <param name="Size">Access size in bytes (1, 2, 4 or 8).</param>
/// <param name="Memory">The memory operand, for memory instructions.</param>
/// <param name="Dest">Destination register index, or -1.</param>
/// <param name="Source">Source register index, or -1 (then <paramref name="Immediate"/> is the source).</param>
/// <param name="Immediate">Immediate source value.</param>
/// <param name="Alu">Arithmetic for <see cref="LitmusOpKind.Alu"/> and <see cref="RmwOp.Update"/>.</param>
/// <param name="Rmw">Which read-modify-write.</param>
/// <param name="Condition">Branch condition.</param>
/// <param name="Target">Branch target (instruction index; the thread's length means "end").</param>
public sealed record LitmusOp(
    LitmusOpKind Kind, string Text, int Line, int Size = 8, MemoryRef Memory = default, int Dest = -1, int Source = -1,
    long Immediate = 0, AluOp Alu = AluOp.Mov, RmwOp Rmw = RmwOp.Exchange, BranchCondition Condition = BranchCondition.Always,
    int Target = -1)
{
    /// <summary>True for instructions that touch shared state (the scheduling points).</summary>
    public bool IsShared => Kind is not (LitmusOpKind.Alu or LitmusOpKind.Cmp or LitmusOpKind.Branch or LitmusOpKind.Nop);
}
