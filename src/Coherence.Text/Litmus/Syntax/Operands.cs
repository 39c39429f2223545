namespace Coherence.Text.Litmus.Syntax;

/// <summary>The kind of an <see cref="Operand"/>, for callers that prefer a switch over type tests.</summary>
public enum OperandKind
{
    /// <summary>A register (<see cref="RegisterOperand"/>).</summary>
    Register,

    /// <summary>An integer constant (<see cref="ImmediateOperand"/>).</summary>
    Immediate,

    /// <summary>A memory reference (<see cref="MemoryOperand"/>).</summary>
    Memory,

    /// <summary>A branch target (<see cref="LabelOperand"/>).</summary>
    Label,

    /// <summary>A named option of a barrier or maintenance instruction (<see cref="OptionOperand"/>).</summary>
    Option,
}

/// <summary>An instruction operand, independent of the architecture's spelling.</summary>
public abstract record Operand : SyntaxNode
{
    /// <summary>The operand's kind.</summary>
    public abstract OperandKind Kind { get; }
}

/// <summary>
/// A register: <c>EAX</c> (X86), <c>%eax</c> (X86_64, stored as <c>eax</c>), <c>W0</c> (AArch64).
/// </summary>
/// <param name="Name">The register name normalised for the architecture (see <see cref="RegisterLocation"/>).</param>
public sealed record RegisterOperand(string Name) : Operand
{
    /// <inheritdoc/>
    public override OperandKind Kind => OperandKind.Register;
}

/// <summary>An integer constant: <c>$1</c> (x86), <c>#1</c> (AArch64).</summary>
/// <param name="Value">The value.</param>
public sealed record ImmediateOperand(long Value) : Operand
{
    /// <inheritdoc/>
    public override OperandKind Kind => OperandKind.Immediate;
}

/// <summary>
/// A memory reference. The address is <c>&amp;Symbol + Base + Index + Offset</c>, each part optional; at least one of
/// <see cref="Symbol"/> and <see cref="Base"/> is present when parsed.
/// Spellings: X86 <c>[x]</c>, <c>[EAX]</c>, <c>[x+8]</c>, <c>[EAX+EBX]</c>; X86_64 <c>(x)</c>, <c>(%rax)</c>,
/// <c>8(%rax)</c>, <c>(%rax,%rbx)</c>; AArch64 <c>[X1]</c>, <c>[X1,X2]</c>, <c>[X1,#8]</c>,
/// <c>[X4,W2,SXTW]</c>, <c>[X1,X2,LSL #3]</c>.
/// </summary>
/// <param name="Symbol">A memory location named directly (<c>x</c>), or <see langword="null"/>.</param>
/// <param name="Base">The base register, or <see langword="null"/>.</param>
/// <param name="Index">The index register added to the base, or <see langword="null"/>.</param>
/// <param name="Offset">A constant byte offset (0 when absent).</param>
/// <param name="Extend">
/// AArch64: how the index is extended before it is added (<c>SXTW</c>, <c>UXTW</c>, <c>SXTX</c>, <c>UXTX</c> or
/// <c>LSL</c>), or <see langword="null"/>; only with <see cref="Index"/>.
/// </param>
/// <param name="Shift">AArch64: the left shift applied to the extended index (0 when absent).</param>
public sealed record MemoryOperand(
    string? Symbol, string? Base, string? Index, long Offset, string? Extend = null, int Shift = 0) : Operand
{
    /// <inheritdoc/>
    public override OperandKind Kind => OperandKind.Memory;
}

/// <summary>A branch target: a label defined in the same thread (<c>JNE L0</c>, <c>CBZ W0,LC00</c>).</summary>
/// <param name="Name">The label, case-sensitive.</param>
public sealed record LabelOperand(string Name) : Operand
{
    /// <inheritdoc/>
    public override OperandKind Kind => OperandKind.Label;
}

/// <summary>
/// A named option of an AArch64 barrier or cache-maintenance instruction: the <c>SY</c> of <c>DMB SY</c>, the
/// <c>CVAP</c> of <c>DC CVAP, X1</c>.
/// </summary>
/// <param name="Name">The option, upper case.</param>
public sealed record OptionOperand(string Name) : Operand
{
    /// <inheritdoc/>
    public override OperandKind Kind => OperandKind.Option;
}
