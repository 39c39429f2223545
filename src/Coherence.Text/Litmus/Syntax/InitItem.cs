namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// One item of the init block: <c>x=1;</c>, <c>0:EAX=0;</c>, <c>0:X1=x;</c>, <c>int64_t y = 0;</c> or
/// <c>uint64_t y;</c>.
/// </summary>
/// <param name="Type">The C-like type name written before the target (<c>int64_t</c>), or <see langword="null"/>.</param>
/// <param name="Target">The memory location or register initialised.</param>
/// <param name="Value">The initial value, or <see langword="null"/> when omitted (herd's default is 0).</param>
public sealed record InitItem(string? Type, StateLocation Target, LitmusValue? Value) : SyntaxNode;
