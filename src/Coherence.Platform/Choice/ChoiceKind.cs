namespace Coherence.Platform.Choice;

/// <summary>The nondeterministic decisions of the platform. Every one goes through <see cref="IChooser"/>.</summary>
public enum ChoiceKind : byte
{
    /// <summary>Which way of a full set to evict. Options: the ways; default: the replacement policy's victim.</summary>
    Victim,

    /// <summary>
    /// Which background action happens next, if any. Option 0 is "none: the step ends"; options 1..n are
    /// <see cref="Machine.BackgroundActions"/>[0..n-1]; default: the first eager drain, else 0.
    /// </summary>
    Background,

    /// <summary>Which runnable thread executes next (used by the layers above). Default 0.</summary>
    Thread,

    /// <summary>Whether power fails now (used by the layers above): 0 no, 1 yes. Default 0.</summary>
    PowerFail,

    /// <summary>Whether CLWB leaves the written-back line cached clean (1) or invalidates it (0). Default 1.</summary>
    ClwbRetain,

    /// <summary>A bounded integer a layer above needs decided (for example a fault point). Default 0.</summary>
    Value,
}
