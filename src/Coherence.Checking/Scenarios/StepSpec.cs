namespace Coherence.Checking.Scenarios;

/// <summary>One step of a scenario; <see cref="Label"/> names it for expectations and traces.</summary>
/// <param name="Label">The step's label, or null.</param>
/// <param name="Where">Source location.</param>
public abstract record StepSpec(string? Label, SourceSpan Where);

/// <summary>The instructions a scenario step may run on a CPU.</summary>
public enum CpuOp
{
    /// <summary>Ordinary load of N bytes.</summary>
    Read,

    /// <summary>Ordinary store.</summary>
    Write,

    /// <summary>Non-temporal store (MOVNTI/MOVNTDQ; split into 8-byte MOVNTI when longer).</summary>
    Movnti,

    /// <summary>MOVDIR64B of a whole line.</summary>
    Movdir64b,

    /// <summary>CLFLUSH.</summary>
    Clflush,

    /// <summary>CLFLUSHOPT.</summary>
    Clflushopt,

    /// <summary>CLWB.</summary>
    Clwb,

    /// <summary>SFENCE.</summary>
    Sfence,

    /// <summary>MFENCE.</summary>
    Mfence,

    /// <summary>LFENCE.</summary>
    Lfence,

    /// <summary>WBINVD.</summary>
    Wbinvd,

    /// <summary>WBNOINVD.</summary>
    Wbnoinvd,
}

/// <summary>A CPU instruction step.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Cpu">The CPU.</param>
/// <param name="Op">The instruction.</param>
/// <param name="Address">The (virtual) address, for memory instructions.</param>
/// <param name="Data">Bytes to store, for stores.</param>
/// <param name="Length">Bytes to read, for loads.</param>
/// <param name="Tenant">Tenant label of stored bytes.</param>
public sealed record CpuStep(string? Label, SourceSpan Where, int Cpu, CpuOp Op, ulong Address, byte[] Data, int Length, string? Tenant)
    : StepSpec(Label, Where);

/// <summary>A device-side write (DMA) that bypasses the caches.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Address">Physical address.</param>
/// <param name="Data">Bytes written.</param>
/// <param name="Tenant">Tenant label.</param>
public sealed record DmaStep(string? Label, SourceSpan Where, ulong Address, byte[] Data, string? Tenant) : StepSpec(Label, Where);

/// <summary>Device operations that change media or access without the caches' knowledge.</summary>
public enum DeviceOp
{
    /// <summary>Secure erase / sanitize / overwrite: a new epoch.</summary>
    Erase,

    /// <summary>Lock the device.</summary>
    Lock,

    /// <summary>Unlock the device.</summary>
    Unlock,

    /// <summary>Poison one media line.</summary>
    Poison,
}

/// <summary>An operation on a device.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Op">What to do.</param>
/// <param name="Device">The device's name.</param>
/// <param name="Value">Fill byte for erase, device offset for poison.</param>
public sealed record DeviceStep(string? Label, SourceSpan Where, DeviceOp Op, string Device, ulong Value) : StepSpec(Label, Where);

/// <summary>Re-point a physical range at another device (CXL decoder reprogramming).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Range">The range's name.</param>
/// <param name="Device">The new device.</param>
/// <param name="Offset">Offset in the new device.</param>
public sealed record RetargetStep(string? Label, SourceSpan Where, string Range, string Device, ulong Offset) : StepSpec(Label, Where);

/// <summary>Power fails.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
public sealed record PowerFailStep(string? Label, SourceSpan Where) : StepSpec(Label, Where);

/// <summary>A durability point reached by <paramref name="Cpu"/> (its older instructions retire, no fence is added):
/// the bytes at <paramref name="Address"/> must now be in the persistence domain, and survive any later power
/// failure unless overwritten.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Cpu">The CPU that reaches the point.</param>
/// <param name="Address">Physical address.</param>
/// <param name="Length">Bytes covered.</param>
public sealed record DurableStep(string? Label, SourceSpan Where, int Cpu, ulong Address, ulong Length) : StepSpec(Label, Where);

/// <summary>A step repeated <paramref name="Count"/> times, its address advancing by <paramref name="Stride"/> each time
/// (so a 1 GiB copy is one line).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Count">Repetitions.</param>
/// <param name="Stride">Address increment per repetition.</param>
/// <param name="Body">The step repeated.</param>
public sealed record RepeatStep(string? Label, SourceSpan Where, ulong Count, ulong Stride, StepSpec Body) : StepSpec(Label, Where);
