namespace Coherence.Text.Litmus.Syntax;

/// <summary>The architecture named on a litmus file's first line; it selects instruction syntax and registers.</summary>
public enum Architecture
{
    /// <summary><c>X86</c>: Intel syntax (<c>MOV [x],$1</c>), upper-case registers such as <c>EAX</c>.</summary>
    X86,

    /// <summary><c>X86_64</c>: AT&amp;T syntax (<c>movl $1,(x)</c>), registers such as <c>%eax</c> and <c>%rax</c>.</summary>
    X86_64,

    /// <summary><c>AArch64</c>: Arm A64 syntax (<c>LDR W0,[X1]</c>), registers <c>W0</c>–<c>W30</c> and <c>X0</c>–<c>X30</c>.</summary>
    AArch64,
}
