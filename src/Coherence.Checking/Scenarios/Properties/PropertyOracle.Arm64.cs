using Coherence.Platform.Persistence;
using Coherence.Platform.Provenance;

namespace Coherence.Checking.Scenarios.Properties;

/// <summary>
/// AArch64 accesses that bypass the caches. A non-cacheable or Device store writes memory without updating cached
/// copies: for those copies it is a device-side change, like a DMA write. A non-cacheable or Device load reads memory
/// without snooping: if a cache holds a newer dirty value of a byte, the load returned a stale byte.
/// </summary>
public sealed partial class PropertyOracle
{
    private readonly List<(ulong Start, ulong End, long Step, int Cpu)> nonCoherentWrites = [];

    /// <summary>True when writes to <paramref name="device"/> wait in its write-pending queue (persistence domain none,
    /// persistent device), as <c>Machine.WriteDeviceLine</c> decides.</summary>
    private bool QueuedByDevice(int device) =>
        device >= 0 && machine.Config.Persistence == PersistenceDomain.None && machine.Devices[device].IsPersistent;

    /// <summary>The physical address at which a range of the map shows <paramref name="device"/>'s line at
    /// <paramref name="offset"/> now, or null when no range does.</summary>
    private ulong? PhysicalLineOf(int device, ulong offset)
    {
        foreach (var r in machine.Map.Resources)
        {
            if (r.Device.Index == device && offset >= r.DeviceOffset && offset - r.DeviceOffset < r.Size)
            {
                return r.Start + (offset - r.DeviceOffset);
            }
        }
        return null;
    }

    /// <summary>Moves <paramref name="step"/> to the last non-coherent store covering <paramref name="pa"/>, if later.</summary>
    private void NonCoherentChange(ulong pa, ref long step, ref string why)
    {
        foreach (var (start, end, s, cpu) in nonCoherentWrites)
        {
            if (pa >= start && pa < end && s > step)
            {
                step = s;
                why = $"cpu{cpu} wrote it at step {ScenarioStepOf(s)} through a non-cacheable mapping, which does not update cached copies";
            }
        }
    }

    /// <summary>
    /// Judges an AArch64 read of <paramref name="data"/> at virtual <paramref name="va"/>, byte i from physical
    /// <paramref name="pas"/>[i], through a non-cacheable type where <paramref name="bypassed"/>[i]: stale bytes (as
    /// for any read, and bytes older than a value a cache held dirty when they bypassed it) and bytes of another tenant.
    /// </summary>
    public void CheckArm64Read(int cpu, ulong va, ReadOnlySpan<ulong> pas, ReadOnlySpan<bool> bypassed, ReadOnlySpan<byte> data,
        ReadOnlySpan<uint> origins, string? readerTenant, bool wasCached)
    {
        int stale = 0, leaked = 0;
        string staleWhy = "";
        uint staleOrigin = 0, leakOrigin = 0;
        Span<byte> coherent = stackalloc byte[64];
        Span<uint> coherentOrigins = stackalloc uint[64];
        var peeked = ulong.MaxValue;
        for (var i = 0; i < data.Length; i++)
        {
            var fresh = IsFresh(pas[i], origins[i], out var why);
            if (fresh && bypassed[i])
            {
                var line = pas[i] & ~63UL;
                if (line != peeked)
                {
                    machine.PeekCoherent(line, coherent, coherentOrigins);
                    peeked = line;
                }
                var newestId = coherentOrigins[(int)(pas[i] - line)];
                var newest = machine.Origins[newestId];
                if (newestId != origins[i] && newest.Kind == OriginKind.Store && newest.Step > machine.Origins[origins[i]].Step)
                {
                    fresh = false;
                    why = $"a newer value ({formatter.DescribeOrigin(newestId)}) was in a cache, which the non-cacheable read does not snoop";
                }
            }
            if (!fresh && stale++ == 0)
            {
                staleWhy = why;
                staleOrigin = origins[i];
            }
            var o = machine.Origins[origins[i]];
            if (readerTenant is not null && o.Tenant != 0 && machine.Origins.TenantName(o.Tenant) != readerTenant && leaked++ == 0)
            {
                leakOrigin = origins[i];
            }
        }
        ReportRead(cpu, va, data.Length, wasCached, readerTenant, (stale, staleWhy, staleOrigin), (leaked, leakOrigin));
    }
}
