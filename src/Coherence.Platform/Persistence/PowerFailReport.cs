namespace Coherence.Platform.Persistence;

/// <summary>What a power failure kept and lost.</summary>
/// <param name="Domain">The persistence domain in force.</param>
/// <param name="DirtyLinesFlushed">Dirty cached lines written to persistent media (eADR only).</param>
/// <param name="DirtyLinesLost">Dirty cached lines whose data was lost.</param>
/// <param name="StoresLost">Store-buffer entries lost.</param>
/// <param name="WcBuffersLost">Write-combining buffers lost.</param>
/// <param name="QueuedLinesKept">Write-pending-queue lines that reached the media (ADR, eADR).</param>
/// <param name="QueuedLinesLost">Write-pending-queue lines lost (domain None).</param>
/// <param name="VolatileDevicesCleared">Volatile devices whose contents were lost.</param>
public readonly record struct PowerFailReport(
    PersistenceDomain Domain, int DirtyLinesFlushed, int DirtyLinesLost, int StoresLost, int WcBuffersLost,
    int QueuedLinesKept, int QueuedLinesLost, int VolatileDevicesCleared);
