namespace Coherence.Checking.Scenarios;

/// <summary>A step that calls into the kernel model; its result (0 or a negative errno) is recorded under its label.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
public abstract record KernelStep(string? Label, SourceSpan Where) : StepSpec(Label, Where);

/// <summary><c>kernel boot</c>: boots the kernel now (kernel steps boot it implicitly on first use).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
public sealed record KernelBootStep(string? Label, SourceSpan Where) : KernelStep(Label, Where);

/// <summary><c>kernel wait N</c>: N seconds pass on the kernel's delayed-work clock (overwrite query, sanitize poll,
/// firmware completions).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Seconds">Seconds to advance.</param>
public sealed record KernelWaitStep(string? Label, SourceSpan Where, ulong Seconds) : KernelStep(Label, Where);

/// <summary><c>invalidate-memregion cpuN [range ADDR SIZE]</c>: <c>cpu_cache_invalidate_memregion</c> called on cpuN
/// (all regions when no range is given).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Cpu">The calling CPU.</param>
/// <param name="Start">Start of the range.</param>
/// <param name="Length">Length of the range, or <see cref="ulong.MaxValue"/> for all regions.</param>
public sealed record InvalidateMemregionStep(string? Label, SourceSpan Where, int Cpu, ulong Start, ulong Length) : KernelStep(Label, Where);

/// <summary><c>keyring add NAME "passphrase"</c>: an <c>encrypted</c> key of 32 bytes (the passphrase, zero-padded).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Name">The key's name in the scenario.</param>
/// <param name="Passphrase">The passphrase.</param>
public sealed record KeyringAddStep(string? Label, SourceSpan Where, string Name, string Passphrase) : KernelStep(Label, Where);

/// <summary>NVDIMM operations.</summary>
public enum NvdimmOp
{
    /// <summary>Firmware provisioning (the pre-OS/BIOS sets a user passphrase; optionally the DIMM powers up locked).</summary>
    Passphrase,

    /// <summary><c>nvdimm_probe</c> → <c>nvdimm_security_unlock</c> with the key loaded as <c>nvdimm:&lt;id&gt;</c>.</summary>
    Unlock,

    /// <summary>sysfs <c>security</c> "erase KEYID".</summary>
    Erase,

    /// <summary>sysfs <c>security</c> "overwrite KEYID".</summary>
    Overwrite,
}

/// <summary><c>nvdimm DEVICE (passphrase "p" [locked] | unlock key=K | erase key=K | overwrite key=K)</c>.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Device">The NVDIMM device.</param>
/// <param name="Op">The operation.</param>
/// <param name="Key">The key's scenario name (unlock, erase, overwrite).</param>
/// <param name="Passphrase">The passphrase (provisioning).</param>
/// <param name="Locked">Provisioning: the DIMM powers up locked.</param>
public sealed record NvdimmStep(string? Label, SourceSpan Where, string Device, NvdimmOp Op, string? Key, string? Passphrase, bool Locked)
    : KernelStep(Label, Where);

/// <summary><c>region RANGE (activate | remove)</c>: <c>nd_region_probe</c> / <c>nd_region_remove</c> of the NVDIMM
/// region behind a pmem range.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Range">The pmem range.</param>
/// <param name="Activate">True for activate, false for remove.</param>
public sealed record NdRegionStep(string? Label, SourceSpan Where, string Range, bool Activate) : KernelStep(Label, Where);

/// <summary>CXL region operations.</summary>
public enum CxlRegionOp
{
    /// <summary>Create a pmem region in a CXL window: x1, 256-byte granularity, the whole window.</summary>
    Create,

    /// <summary>Attach a memdev's first endpoint decoder as target 0.</summary>
    Attach,

    /// <summary>Detach target 0.</summary>
    Detach,

    /// <summary><c>commit_store("1")</c> then the region driver's probe.</summary>
    Commit,

    /// <summary><c>commit_store("0")</c>: decommit (decode reset).</summary>
    Reset,
}

/// <summary><c>cxl REGION (create WINDOW | attach DEVICE | detach | commit | reset)</c>.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Region">The region's scenario name.</param>
/// <param name="Op">The operation.</param>
/// <param name="Argument">The window range (create) or the CXL device (attach).</param>
public sealed record CxlRegionStep(string? Label, SourceSpan Where, string Region, CxlRegionOp Op, string? Argument) : KernelStep(Label, Where);

/// <summary><c>cxl DEVICE (sanitize | secure-erase)</c>: <c>cxl_mem_sanitize</c>.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Device">The CXL device.</param>
/// <param name="SecureErase">True for secure erase, false for sanitize.</param>
public sealed record CxlMemdevStep(string? Label, SourceSpan Where, string Device, bool SecureErase) : KernelStep(Label, Where);

/// <summary><c>module load NAME [license=L] {imports=NS} {uses=SYMBOL}</c>: <c>load_module</c>.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Name">The module.</param>
/// <param name="License">MODULE_LICENSE.</param>
/// <param name="Imports">MODULE_IMPORT_NS namespaces.</param>
/// <param name="Uses">Undefined symbols it uses.</param>
public sealed record ModuleLoadStep(string? Label, SourceSpan Where, string Name, string License, IReadOnlyList<string> Imports, IReadOnlyList<string> Uses)
    : KernelStep(Label, Where);
