using Coherence.Platform;

namespace Coherence.Kernel.Boot;

/// <summary>One kernel-level action, in the order it happened.</summary>
/// <param name="Sequence">Position among all kernel log entries and events.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Cpu">The CPU that acted.</param>
/// <param name="TargetCpu">The other CPU (the IPI's target), or -1.</param>
/// <param name="Detail">What was called or done, in kernel terms (<c>wbinvd</c>, a notifier's name).</param>
/// <param name="Outcome">For an instruction: its outcome on the machine.</param>
/// <param name="MachineStep">The machine's step counter after the action.</param>
public sealed record KernelEvent(long Sequence, KernelEventKind Kind, int Cpu, int TargetCpu, string Detail, AccessOutcome Outcome, long MachineStep);
