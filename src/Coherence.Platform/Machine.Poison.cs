using Coherence.Platform.Events;
using Coherence.Platform.Provenance;

namespace Coherence.Platform;

/// <summary>Clearing media poison (what nvdimm_clear_poison asks the DIMM to do).</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Clears media poison in [<paramref name="address"/>, +<paramref name="length"/>): every poisoned byte is
    /// rewritten as zero with a new origin, on the media only — cached copies (which may hold the poison) are not
    /// told, exactly like any other device-side write. Returns the number of lines that held poison.
    /// </summary>
    public int ClearPoison(ulong address, ulong length)
    {
        CheckPhysical(address, length);
        var step = BeginStep();
        Span<byte> data = stackalloc byte[64];
        Span<uint> origins = stackalloc uint[64];
        uint origin = 0;
        var cleared = 0;
        for (var line = address & ~63UL; line < address + length; line += 64)
        {
            ReadMedia(line, data, origins);
            ulong mask = 0;
            for (var i = 0; i < 64; i++)
            {
                if (IsPoison(origins[i]))
                {
                    mask |= 1UL << i;
                }
            }
            if (mask == 0)
            {
                continue;
            }
            if (origin == 0)
            {
                origin = Origins.Add(new Origin(OriginKind.DeviceWrite, step, -1, Origins.Tenant("clear-poison"), Map.Resolve(line).Device.Index, 0));
            }
            data.Clear();
            origins[0] = origin;
            WriteDeviceLine(line, data, origins, OriginGrain.Line, mask, -1, null, EventKind.DeviceWrite);
            cleared++;
        }
        EndStep();
        return cleared;
    }
}
