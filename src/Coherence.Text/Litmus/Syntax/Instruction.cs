namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// One instruction of a thread, with its operands in source order (AT&amp;T order for X86_64: source first).
/// </summary>
/// <param name="Mnemonic">
/// The mnemonic normalised for the architecture: upper case for X86 and AArch64 (<c>MOV</c>, <c>B.EQ</c>), lower
/// case for X86_64 (<c>movl</c>). A parsed mnemonic is always one of <see cref="InstructionSet.For"/>'s entries.
/// </param>
/// <param name="Operands">The operands in source order.</param>
/// <param name="Lock">Whether the x86 <c>LOCK</c> / <c>lock</c> prefix was written.</param>
public sealed record Instruction(string Mnemonic, SyntaxList<Operand> Operands, bool Lock = false) : SyntaxNode;

/// <summary>
/// One non-empty cell of a thread column: an instruction, optionally preceded by a label (<c>L0: MOV EAX,$1</c>),
/// or a label alone (<c>LC00:</c>), which then marks the position of the next instruction or the end of the thread.
/// </summary>
/// <param name="Label">The label defined by the cell, or <see langword="null"/>.</param>
/// <param name="Instruction">The instruction, or <see langword="null"/> for a label-only cell.</param>
/// <remarks>Invariant: at least one of <see cref="Label"/> and <see cref="Instruction"/> is present.</remarks>
public sealed record CodeLine(string? Label, Instruction? Instruction) : SyntaxNode;

/// <summary>
/// The code of one thread (<c>Pn</c>): its non-empty cells from top to bottom. Empty cells, which only pad the
/// columns, are not kept.
/// </summary>
/// <param name="Id">The thread number <c>n</c> of <c>Pn</c>; threads are numbered 0, 1, 2, … in column order.</param>
/// <param name="Lines">The thread's code lines in program order.</param>
public sealed record ThreadCode(int Id, SyntaxList<CodeLine> Lines) : SyntaxNode;
