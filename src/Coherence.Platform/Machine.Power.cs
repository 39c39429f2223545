using Coherence.Platform.Caches;
using Coherence.Platform.Events;
using Coherence.Platform.Persistence;
using Coherence.Platform.Provenance;

namespace Coherence.Platform;

/// <summary>Power failure.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Power fails now. Under eADR dirty cached lines of persistent devices reach the media first; under ADR and eADR
    /// the devices' write-pending queues drain; under None they are lost. Store buffers, write-combining buffers,
    /// pending flushes and caches are lost; volatile devices lose their contents (a new epoch of zeros).
    /// Lock states are kept (the kernel layer decides what a power cycle does to security state).
    /// </summary>
    public PowerFailReport PowerFail()
    {
        var step = BeginStep();
        int flushed = 0, lost = 0, stores = 0, wcs = 0, kept = 0, dropped = 0, cleared = 0;
        var domain = Config.Persistence;
        for (var k = 0; k < Memory.CacheCount; k++)
        {
            var cache = Memory.Cache(k);
            for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
            {
                if (!cache.StateOf(slot).IsDirty())
                {
                    continue;
                }
                var line = cache.AddressOf(slot);
                var device = Map.Resolve(line).Device;
                if (domain == PersistenceDomain.Eadr && device.IsPersistent)
                {
                    WriteBackLine(cache.Name, -1, line, cache.Payload.Data(slot), cache.Payload.OriginIds(slot), cache.Payload.GrainOf(slot));
                    flushed++;
                }
                else
                {
                    lost++;
                }
            }
        }
        foreach (var cpu in Cpus)
        {
            stores += cpu.StoreBuffer.Count;
            cpu.StoreBuffer.Clear();
            foreach (var wc in cpu.WcBuffers)
            {
                if (wc.InUse)
                {
                    wcs++;
                    wc.Reset();
                    cpu.WcInUse--;
                }
            }
            cpu.PendingFlushes.Clear();
        }
        Memory.ClearAll();
        foreach (var d in devices)
        {
            if (domain == PersistenceDomain.None)
            {
                dropped += d.DropQueue();
            }
            else
            {
                kept += d.DrainQueue();
            }
            if (!d.IsPersistent)
            {
                var origin = Origins.Add(new Origin(OriginKind.PowerLoss, step, -1, 0, d.Index, d.Epoch + 1));
                d.StartEpoch(0, origin, bumpEpoch: true);
                ForgetTdOwnership(d);
                cleared++;
            }
        }
        var report = new PowerFailReport(domain, flushed, lost, stores, wcs, kept, dropped, cleared);
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.PowerFail, step, -1, null, 0, 0, -1, false, 0, (long)domain));
        }
        return report;
    }
}
