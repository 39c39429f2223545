namespace Coherence.Platform.Devices;

/// <summary>What a locked device returns to reads.</summary>
public enum LockedReadMode
{
    /// <summary>Poison: consuming the data raises a machine check.</summary>
    Poison,

    /// <summary>All-ones bytes (0xFF).</summary>
    AllOnes,
}
