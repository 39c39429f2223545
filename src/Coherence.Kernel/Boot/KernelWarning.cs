namespace Coherence.Kernel.Boot;

/// <summary>
/// A kernel warning or bug report: WARN_ON_ONCE firing, a sleep in atomic context, a self-deadlock. The same event
/// also puts its banner line into <see cref="KernelModel.Log"/>.
/// </summary>
/// <param name="Kind">The kind of report.</param>
/// <param name="Function">The kernel function that fired it (<c>cpu_cache_invalidate_memregion</c>).</param>
/// <param name="File">The source file of the site (<c>arch/x86/mm/pat/set_memory.c</c>).</param>
/// <param name="Condition">The condition or message as written at the site (<c>!cpu_cache_has_invalidate_memregion()</c>).</param>
/// <param name="Cpu">The CPU the code ran on.</param>
/// <param name="Sequence">Position among all kernel log entries and events, for ordering.</param>
public sealed record KernelWarning(KernelWarningKind Kind, string Function, string File, string Condition, int Cpu, long Sequence);
