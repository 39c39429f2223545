using Coherence.Kernel.Kexec;
using Coherence.Kernel.Tdx;

namespace Coherence.Checking.Scenarios;

/// <summary><c>tdx init [fail=...] [cpuN]</c>: init_tdx_module() on the CPU (cpu0 by default).</summary>
public sealed record TdxInitStep(string? Label, SourceSpan Where, int Cpu, TdxInitFault Fault) : KernelStep(Label, Where);

/// <summary><c>tdx create TD cpuN</c>: KVM creates a TD whose vCPU runs on cpuN.</summary>
public sealed record TdxCreateStep(string? Label, SourceSpan Where, string Td, int Cpu) : KernelStep(Label, Where);

/// <summary><c>tdx add|remove TD ADDRESS size=SIZE</c>: private pages added (TDH.MEM.PAGE.ADD) or removed by KVM.</summary>
public sealed record TdxPagesStep(string? Label, SourceSpan Where, string Td, bool Add, ulong Address, ulong Size) : KernelStep(Label, Where);

/// <summary><c>tdx write TD ADDRESS DATA</c>: the TD's vCPU stores into its private memory.</summary>
public sealed record TdxWriteStep(string? Label, SourceSpan Where, string Td, ulong Address, byte[] Data) : KernelStep(Label, Where);

/// <summary><c>tdx reset-fails after=N</c>: KVM's memory-reset notifier resets N pages, then fails with -EIO.</summary>
public sealed record TdxResetFailsStep(string? Label, SourceSpan Where, int After) : KernelStep(Label, Where);

/// <summary><c>kexec load [crash]</c>: kexec_load() of a normal or crash image.</summary>
public sealed record KexecLoadStep(string? Label, SourceSpan Where, KexecKind Kind) : KernelStep(Label, Where);

/// <summary><c>kexec exec|crash cpuN</c>: run the normal image (reboot into it) or panic into the crash image.</summary>
public sealed record KexecRunStep(string? Label, SourceSpan Where, KexecKind Kind, int Cpu) : KernelStep(Label, Where);
