namespace Coherence.Platform.Provenance;

/// <summary>What produced a byte.</summary>
public enum OriginKind : byte
{
    /// <summary>The device's contents before anything was written (epoch 0).</summary>
    Initial,

    /// <summary>A CPU store (ordinary, non-temporal, direct or locked).</summary>
    Store,

    /// <summary>A write by another agent straight to the device (DMA), bypassing the CPU caches.</summary>
    DeviceWrite,

    /// <summary>The pattern a secure erase, sanitize or overwrite left on the media.</summary>
    Erase,

    /// <summary>Contents of volatile memory after a power failure.</summary>
    PowerLoss,

    /// <summary>Poisoned media: consuming it raises a machine check.</summary>
    Poison,

    /// <summary>All-ones returned by a locked device configured to answer that way.</summary>
    LockedAllOnes,

    /// <summary>What a TD-private line returns when read through a KeyID other than its owner's: zeros (TDX reads
    /// it as zero rather than revealing ciphertext).</summary>
    TdPrivate,
}
