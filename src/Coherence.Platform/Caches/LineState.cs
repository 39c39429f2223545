namespace Coherence.Platform.Caches;

/// <summary>MOESI state of one cache slot.</summary>
public enum LineState : byte
{
    /// <summary>The slot holds no line.</summary>
    Invalid = 0,

    /// <summary>Clean; other caches may hold the same line.</summary>
    Shared = 1,

    /// <summary>Clean; no other cache in the machine holds the line.</summary>
    Exclusive = 2,

    /// <summary>Dirty (newer than the device) and the only copy in the machine.</summary>
    Modified = 3,

    /// <summary>Dirty, and other caches may hold Shared copies of the same bytes; this copy is written back.</summary>
    Owned = 4,
}

/// <summary>Helpers over <see cref="LineState"/>.</summary>
public static class LineStates
{
    /// <summary>True for the dirty states (Modified, Owned): at most one cache in the machine holds a line dirty.</summary>
    public static bool IsDirty(this LineState state) => state >= LineState.Modified;

    /// <summary>True for the states that guarantee no other copy exists (Modified, Exclusive).</summary>
    public static bool IsSole(this LineState state) => state is LineState.Modified or LineState.Exclusive;
}
