namespace Coherence.Platform.Cpus;

/// <summary>A CLFLUSHOPT or CLWB that has left the store buffer but not completed: it completes at any time the
/// chooser picks, and at the latest at the next SFENCE, MFENCE, locked instruction or serialising instruction.</summary>
/// <param name="Line">The line's physical address.</param>
/// <param name="WriteBackOnly">True for CLWB (the line may stay cached clean), false for CLFLUSHOPT.</param>
/// <param name="Step">The step that issued it.</param>
public readonly record struct PendingFlush(ulong Line, bool WriteBackOnly, long Step);
