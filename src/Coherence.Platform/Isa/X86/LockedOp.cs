namespace Coherence.Platform.Isa.X86;

/// <summary>The read-modify-write of a locked instruction.</summary>
public enum LockedOp
{
    /// <summary>XCHG: memory gets the operand.</summary>
    Exchange,

    /// <summary>LOCK XADD / LOCK ADD: memory gets old + operand.</summary>
    Add,

    /// <summary>LOCK CMPXCHG: memory gets the operand when it equals the comparand.</summary>
    CompareExchange,

    /// <summary>LOCK AND.</summary>
    And,

    /// <summary>LOCK OR.</summary>
    Or,

    /// <summary>LOCK XOR.</summary>
    Xor,
}
