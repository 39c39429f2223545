using Coherence.Platform.Devices;
using Coherence.Platform.Events;

namespace Coherence.Platform;

/// <summary>Flush-hint writes (NFIT flush hint addresses).</summary>
public sealed partial class Machine
{
    /// <summary>
    /// The memory controller's reaction to a write to one of <paramref name="device"/>'s flush-hint addresses: every
    /// write waiting in its write-pending queue reaches the media now. Writes still in CPU store buffers or
    /// write-combining buffers are not covered (they have not reached the queue). Returns the lines drained.
    /// </summary>
    public int DrainWritePendingQueue(MemoryDevice device)
    {
        BeginStep();
        var n = 0;
        if (device.PendingLines > 0)
        {
            foreach (var line in device.QueuedLines())
            {
                n += device.DrainQueue(line);
                if (Observed)
                {
                    Emit(new MachineEvent(EventKind.QueueDrain, Step, -1, null, line, 64, device.Index, false, 0, 1));
                }
            }
        }
        EndStep();
        return n;
    }
}
