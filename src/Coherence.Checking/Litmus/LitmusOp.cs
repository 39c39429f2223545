namespace Coherence.Checking.Litmus;

/// <summary>What a litmus instruction does, after lowering from x86 or AArch64 syntax (AArch64 adds kinds and reuses Load, Store, Cmp, Branch and Nop).</summary>
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

    /// <summary>AArch64 three-operand arithmetic: <see cref="LitmusOp.Dest"/> ← <see cref="LitmusOp.Left"/>
    /// <see cref="LitmusOp.Alu"/> (<see cref="LitmusOp.Source"/> or <see cref="LitmusOp.Immediate"/>); a register index
    /// of -1 is the zero register (reads 0, writes are dropped). W forms (<see cref="LitmusOp.Size"/> 4) zero-extend.</summary>
    Alu3,

    /// <summary>AArch64 LDXR/LDAXR: a load that opens an exclusive monitor on its location.</summary>
    LoadExclusive,

    /// <summary>AArch64 STXR/STLXR: a store of <see cref="LitmusOp.Source"/> that succeeds only if no other thread wrote
    /// the location since the paired load-exclusive; <see cref="LitmusOp.Dest"/> receives 0 on success, 1 on failure.</summary>
    StoreExclusive,

    /// <summary>AArch64 DMB with <see cref="LitmusOp.Barrier"/>.</summary>
    Dmb,

    /// <summary>AArch64 DSB with <see cref="LitmusOp.Barrier"/>: also waits for earlier cache maintenance.</summary>
    Dsb,

    /// <summary>AArch64 ISB.</summary>
    Isb,

    /// <summary>AArch64 DC by virtual address (<see cref="LitmusOp.Cache"/>) on the line of the memory operand.</summary>
    DataCache,
}

/// <summary>The ordering an AArch64 load or store carries.</summary>
public enum AccessOrder
{
    /// <summary>LDR, STR, LDXR, STXR.</summary>
    Plain,

    /// <summary>LDAR, LDAXR: acquire, and ordered after earlier STLR (RCsc).</summary>
    Acquire,

    /// <summary>LDAPR: acquire, not ordered after earlier STLR (RCpc).</summary>
    AcquirePc,

    /// <summary>STLR, STLXR: release.</summary>
    Release,
}

/// <summary>Which accesses an AArch64 DMB or DSB orders (the shareability domain is not modelled: all are full-system).</summary>
public enum BarrierScope
{
    /// <summary>SY, ISH, OSH, NSH: all accesses.</summary>
    Full,

    /// <summary>LD, ISHLD, ...: earlier loads before later loads and stores.</summary>
    Loads,

    /// <summary>ST, ISHST, ...: earlier stores before later stores.</summary>
    Stores,
}

/// <summary>AArch64 data-cache maintenance by virtual address.</summary>
public enum CacheOp
{
    /// <summary>DC CVAC: clean to the point of coherence.</summary>
    CleanToCoherence,

    /// <summary>DC CVAP (and CVADP): clean to the point of persistence.</summary>
    CleanToPersistence,

    /// <summary>DC CIVAC: clean and invalidate to the point of coherence.</summary>
    CleanInvalidate,

    /// <summary>DC IVAC: invalidate (modelled as clean and invalidate; see docs/litmus.md).</summary>
    Invalidate,

    /// <summary>DC ZVA: write zeros to the whole line.</summary>
    Zero,
}

/// <summary>How an AArch64 index register is extended before it is added to the base.</summary>
public enum IndexExtend
{
    /// <summary>Used as a 64-bit value (no extension, LSL, UXTX, SXTX).</summary>
    None,

    /// <summary>UXTW: the low 32 bits, zero-extended.</summary>
    Uxtw,

    /// <summary>SXTW: the low 32 bits, sign-extended.</summary>
    Sxtw,
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

    /// <summary>AArch64 CBZ: when <see cref="LitmusOp.Source"/> is zero.</summary>
    RegisterZero,

    /// <summary>AArch64 CBNZ: when <see cref="LitmusOp.Source"/> is not zero.</summary>
    RegisterNonZero,

    /// <summary>B.CS / B.HS: carry set (unsigned higher or same).</summary>
    CarrySet,

    /// <summary>B.CC / B.LO: carry clear (unsigned lower).</summary>
    CarryClear,

    /// <summary>B.MI: negative.</summary>
    Minus,

    /// <summary>B.PL: positive or zero.</summary>
    Plus,

    /// <summary>B.VS: signed overflow.</summary>
    Overflow,

    /// <summary>B.VC: no signed overflow.</summary>
    NoOverflow,

    /// <summary>B.HI: unsigned higher.</summary>
    Higher,

    /// <summary>B.LS: unsigned lower or same.</summary>
    LowerOrSame,

    /// <summary>B.GE: signed greater or equal.</summary>
    GreaterOrEqual,

    /// <summary>B.LT: signed less.</summary>
    Less,

    /// <summary>B.GT: signed greater.</summary>
    Greater,

    /// <summary>B.LE: signed less or equal.</summary>
    LessOrEqual,
}

/// <summary>A memory operand: a location's address, or a register holding an address, plus an offset.</summary>
/// <param name="Location">The location's index in <see cref="LitmusProgram.Locations"/>, or -1.</param>
/// <param name="BaseRegister">The register holding an address, or -1.</param>
/// <param name="Offset">Byte offset.</param>
/// <param name="IndexRegister">AArch64: a register added to the base after <paramref name="Extend"/> and <paramref name="Shift"/>, or -1.</param>
/// <param name="Shift">AArch64: left shift of the extended index.</param>
/// <param name="Extend">AArch64: how the index is extended.</param>
public readonly record struct MemoryRef(int Location, int BaseRegister, long Offset, int IndexRegister = -1, int Shift = 0, IndexExtend Extend = IndexExtend.None);

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
/// <param name="Left">AArch64 <see cref="LitmusOpKind.Alu3"/>: the first source register (-1: the zero register).</param>
/// <param name="Order">AArch64 loads and stores: acquire, release or plain.</param>
/// <param name="Barrier">AArch64 DMB and DSB: which accesses they order.</param>
/// <param name="Cache">AArch64 DC: the operation.</param>
public sealed record LitmusOp(
    LitmusOpKind Kind, string Text, int Line, int Size = 8, MemoryRef Memory = default, int Dest = -1, int Source = -1,
    long Immediate = 0, AluOp Alu = AluOp.Mov, RmwOp Rmw = RmwOp.Exchange, BranchCondition Condition = BranchCondition.Always,
    int Target = -1, int Left = -1, AccessOrder Order = AccessOrder.Plain, BarrierScope Barrier = BarrierScope.Full,
    CacheOp Cache = CacheOp.CleanToPersistence)
{
    /// <summary>True for instructions that touch shared state (the scheduling points).</summary>
    public bool IsShared => Kind is not (LitmusOpKind.Alu or LitmusOpKind.Cmp or LitmusOpKind.Branch or LitmusOpKind.Nop);
}
