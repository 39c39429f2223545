using Coherence.Platform.Cpus;

namespace Coherence.Checking.Scenarios;

/// <summary>A CPU that runs a guest.</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="Kind">KVM or TDX guest.</param>
/// <param name="WbinvdPassthrough">Whether the hypervisor executes the guest's WBINVD.</param>
/// <param name="Where">Source location.</param>
public sealed record GuestSpec(int Cpu, GuestKind Kind, bool WbinvdPassthrough, SourceSpan Where);
