namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// A place that holds a value in a litmus test: a shared memory location (<c>x</c>) or a thread's register
/// (<c>0:EAX</c>). Used by the init block, <c>locations</c>, and condition atoms.
/// </summary>
public abstract record StateLocation : SyntaxNode;

/// <summary>A shared memory location named by a symbol, such as <c>x</c> (also written <c>[x]</c> in conditions).</summary>
/// <param name="Name">The symbol, case-sensitive.</param>
public sealed record MemoryLocation(string Name) : StateLocation
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A register of one thread, such as <c>0:EAX</c>, <c>1:rax</c> or <c>1:X2</c>.</summary>
/// <param name="Thread">The thread number (the <c>n</c> of <c>Pn</c>), at least 0.</param>
/// <param name="Register">
/// The register name, normalised for the architecture: upper case for X86 and AArch64, lower case without
/// <c>%</c> for X86_64.
/// </param>
public sealed record RegisterLocation(int Thread, string Register) : StateLocation
{
    /// <inheritdoc/>
    public override string ToString() => $"{Thread}:{Register}";
}
