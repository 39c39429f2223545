namespace Coherence.Platform.Caches;

/// <summary>MESI state of one cache slot.</summary>
public enum LineState : byte
{
    /// <summary>The slot holds no line.</summary>
    Invalid = 0,

    /// <summary>Clean; other caches may hold the same line.</summary>
    Shared = 1,

    /// <summary>Clean; no other cache in the machine holds the line.</summary>
    Exclusive = 2,

    /// <summary>Dirty: newer than the device. At most one cache in the machine holds a line Modified.</summary>
    Modified = 3,
}
