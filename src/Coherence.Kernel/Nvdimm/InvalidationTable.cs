namespace Coherence.Kernel.Nvdimm;

/// <summary>Device-memory events of the NVDIMM and CXL drivers that may change what sits behind a physical address.</summary>
public enum DeviceMemoryEvent
{
    /// <summary>NVDIMM unlock succeeded (<c>nvdimm_security_unlock</c>).</summary>
    NvdimmUnlock,

    /// <summary>The pre-OS unlocked the DIMM; the kernel revalidates the key.</summary>
    NvdimmPreOsUnlockRevalidate,

    /// <summary><c>disable</c>.</summary>
    NvdimmDisable,

    /// <summary><c>update</c>.</summary>
    NvdimmUpdate,

    /// <summary><c>freeze</c>.</summary>
    NvdimmFreeze,

    /// <summary><c>erase</c>.</summary>
    NvdimmErase,

    /// <summary><c>master_erase</c>.</summary>
    NvdimmMasterErase,

    /// <summary><c>overwrite</c> submitted.</summary>
    NvdimmOverwrite,

    /// <summary><c>nd_region_remove</c>.</summary>
    NvdimmRegionRemove,

    /// <summary>CXL region commit.</summary>
    CxlCommit,

    /// <summary>CXL <c>cxl_region_decode_reset</c>.</summary>
    CxlDecodeReset,

    /// <summary>CXL sanitize.</summary>
    CxlSanitize,

    /// <summary>CXL secure erase.</summary>
    CxlSecureErase,
}

/// <summary>What invalidation an event calls for (spec §2.6, current kernels).</summary>
public enum InvalidationRequirement
{
    /// <summary>No state change and no flush.</summary>
    None,

    /// <summary>The DIMM becomes INCOHERENT; the next region activate must flush (else -ENXIO).</summary>
    NextRegionActivate,

    /// <summary>INCOHERENT plus OVERWRITE: region activate is -EBUSY until the overwrite is done, then flushes.</summary>
    ActivateBusyUntilDoneThenFlush,

    /// <summary>An opportunistic flush when available; failure ignored.</summary>
    Opportunistic,

    /// <summary>A mandatory flush before the decoders are programmed (-ENXIO when impossible).</summary>
    BeforeDecoderProgramming,

    /// <summary>A flush first; a WARN when unavailable, the teardown goes on.</summary>
    BeforeResetWarnIfUnavailable,

    /// <summary>Requires no committed decoders (-EBUSY); the next commit flushes.</summary>
    NextCommit,
}

/// <summary>One row of the table: the event, the state change in words, and the flush it needs.</summary>
/// <param name="Event">The event.</param>
/// <param name="StateChange">The state change the spec names.</param>
/// <param name="Requirement">The invalidation it calls for.</param>
public readonly record struct InvalidationRule(DeviceMemoryEvent Event, string StateChange, InvalidationRequirement Requirement);

/// <summary>
/// Spec §2.6 "Which transitions need invalidation (current model)" as data. The tests drive each event through the
/// NVDIMM code under <see cref="NvdimmFlushPolicy.V6_2"/> and the CXL code under the v6.5+ region policy and assert
/// the row.
/// </summary>
public static class InvalidationTable
{
    /// <summary>The rows, in the spec's order (the combined rows are split per event).</summary>
    public static IReadOnlyList<InvalidationRule> Current { get; } =
    [
        new(DeviceMemoryEvent.NvdimmUnlock, "DIMM INCOHERENT", InvalidationRequirement.NextRegionActivate),
        new(DeviceMemoryEvent.NvdimmPreOsUnlockRevalidate, "none", InvalidationRequirement.None),
        new(DeviceMemoryEvent.NvdimmDisable, "none", InvalidationRequirement.None),
        new(DeviceMemoryEvent.NvdimmUpdate, "none", InvalidationRequirement.None),
        new(DeviceMemoryEvent.NvdimmFreeze, "none", InvalidationRequirement.None),
        new(DeviceMemoryEvent.NvdimmErase, "INCOHERENT", InvalidationRequirement.NextRegionActivate),
        new(DeviceMemoryEvent.NvdimmMasterErase, "INCOHERENT", InvalidationRequirement.NextRegionActivate),
        new(DeviceMemoryEvent.NvdimmOverwrite, "INCOHERENT + OVERWRITE", InvalidationRequirement.ActivateBusyUntilDoneThenFlush),
        new(DeviceMemoryEvent.NvdimmRegionRemove, "none", InvalidationRequirement.Opportunistic),
        new(DeviceMemoryEvent.CxlCommit, "none", InvalidationRequirement.BeforeDecoderProgramming),
        new(DeviceMemoryEvent.CxlDecodeReset, "none", InvalidationRequirement.BeforeResetWarnIfUnavailable),
        new(DeviceMemoryEvent.CxlSanitize, "requires no committed decoders", InvalidationRequirement.NextCommit),
        new(DeviceMemoryEvent.CxlSecureErase, "requires no committed decoders", InvalidationRequirement.NextCommit),
    ];
}
