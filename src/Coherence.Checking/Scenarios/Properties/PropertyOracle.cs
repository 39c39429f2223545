using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Events;
using Coherence.Platform.Persistence;
using Coherence.Platform.Provenance;

namespace Coherence.Checking.Scenarios.Properties;

/// <summary>
/// Judges the built-in properties from the machine's events and the reads the scenario makes. Freshness is the one
/// idea behind stale reads and resurrection: a byte is fresh when it is at least as new as the last device-side
/// change of its memory — an erase or power loss of the device that backs it now, a re-pointing of its range (for
/// bytes CPUs stored), a DMA write to it — and, if it came from a device, from that device.
/// </summary>
public sealed partial class PropertyOracle : IMachineObserver
{
    private readonly Machine machine;
    private readonly TraceFormatter formatter;
    private readonly Dictionary<int, long> deviceChange = [];
    private readonly Dictionary<ulong, long> rangeChange = [];
    private readonly List<(ulong Start, ulong End, long Step)> dmaWrites = [];
    private readonly List<(ulong Address, byte[] Data, uint[] Origins, int ScenarioStep)> claims = [];
    private readonly HashSet<(string, int)> reported = [];

    /// <summary>Creates an oracle for <paramref name="machine"/>; attach it as (part of) the machine's observer.</summary>
    public PropertyOracle(Machine machine)
    {
        this.machine = machine;
        formatter = new TraceFormatter(machine);
        formatter.StepNames = ScenarioStepOf;
    }

    private readonly List<long> stepStarts = [];
    private int scenarioStep;

    /// <summary>The scenario step being executed (1-based), for messages; setting it records where it starts.</summary>
    public int ScenarioStep
    {
        get => scenarioStep;
        set
        {
            scenarioStep = value;
            while (stepStarts.Count < value)
            {
                stepStarts.Add(machine.Step + 1);
            }
        }
    }

    /// <summary>The scenario step during which machine step <paramref name="machineStep"/> ran (0 before the first).</summary>
    public long ScenarioStepOf(long machineStep)
    {
        var lo = 0;
        var hi = stepStarts.Count - 1;
        var found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (stepStarts[mid] <= machineStep)
            {
                found = mid + 1;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    /// <summary>A formatter that names steps as the scenario numbers them.</summary>
    public TraceFormatter Formatter => formatter;

    /// <summary>Every violation so far, in order.</summary>
    public List<Violation> Violations { get; } = [];

    /// <summary>Violations as a hashable summary (property and step), for state hashing.</summary>
    public IEnumerable<(string, int)> Reported => reported;

    private void Report(string property, string message)
    {
        if (reported.Add((property, ScenarioStep)))
        {
            Violations.Add(new Violation(property, ScenarioStep, message));
        }
    }

    /// <summary>Reports a kernel WARN (or other splat) raised during the current step: property kernel-warning.</summary>
    public void KernelWarning(string text) => Report(PropertyNames.KernelWarning, $"step {ScenarioStep}: {text}");

    /// <inheritdoc/>
    public void OnEvent(in MachineEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.DeviceErase:
                deviceChange[e.Device] = e.Step;
                break;
            case EventKind.Retarget:
                rangeChange[e.Address] = e.Step;
                break;
            case EventKind.DeviceWrite:
                dmaWrites.Add((KeyIds.Strip(e.Address), KeyIds.Strip(e.Address) + (ulong)e.Length, e.Step));
                break;
            case EventKind.PowerFail:
                foreach (var d in machine.Devices)
                {
                    if (!d.IsPersistent)
                    {
                        deviceChange[d.Index] = e.Step;
                    }
                }
                CheckClaimsAfterPowerFail();
                break;
            case EventKind.WriteBack:
            case EventKind.WcDrain:
                // A write the device queues reaches the media, and is judged, when its queue drains.
                if (!QueuedByDevice(e.Device))
                {
                    CheckWrittenLine(e.Address & ~63UL, e.Cache);
                }
                break;
            case EventKind.QueueDrain:
                // A queue drain names the line by its device offset.
                if (PhysicalLineOf(e.Device, e.Address & ~63UL) is { } drained)
                {
                    CheckWrittenLine(drained, e.Cache);
                }
                break;
            case EventKind.Arm64Access when Platform.Isa.Arm64.Arm64Trace.IsNonCoherentStore(e):
                nonCoherentWrites.Add((e.Address, e.Address + (ulong)e.Length, e.Step, e.Cpu));
                break;
            case EventKind.OverwroteNewer:
                Report(PropertyNames.NoResurrection, $"step {ScenarioStep}: {(e.Cpu >= 0 ? $"cpu{e.Cpu}'s caches" : "a write")} wrote line 0x{e.Address:x} back{KeyIdNote(e.Address)}: {e.Detail} bytes from {formatter.DescribeOrigin(e.Origin)} replaced newer data on {machine.Devices[e.Device].Name}");
                break;
            case EventKind.MachineCheck:
                Report(PropertyNames.NoMachineCheck, $"step {ScenarioStep}: cpu{e.Cpu} consumed poison at 0x{e.Address:x} ({formatter.DescribeOrigin(e.Origin)}): machine check");
                break;
        }
    }

    private static string KeyIdNote(ulong address) => KeyIds.Of(address) == 0 ? "" : $" under KeyID {KeyIds.Of(address)}";

    /// <summary>The step of the last change that makes bytes older than it stale at <paramref name="pa"/>.</summary>
    private long ChangeStep(ulong pa, in Origin origin, out string why)
    {
        var r = machine.Map.Resolve(pa);
        long step = 0;
        why = "";
        if (deviceChange.TryGetValue(r.Device.Index, out var erased) && erased > step)
        {
            step = erased;
            why = $"device {r.Device.Name} was erased or lost power at step {ScenarioStepOf(erased)}";
        }
        foreach (var (start, end, s) in dmaWrites)
        {
            if (pa >= start && pa < end && s > step)
            {
                step = s;
                why = $"a device-side write (DMA or poison clearing) replaced it at step {ScenarioStepOf(s)}";
            }
        }
        NonCoherentChange(pa, ref step, ref why);
        if (origin.Kind == OriginKind.Store && rangeChange.TryGetValue(r.Start, out var moved) && moved > step)
        {
            step = moved;
            why = $"range {r.Name} was re-pointed at {r.Device.Name} at step {ScenarioStepOf(moved)}";
        }
        return step;
    }

    /// <summary>True when nothing has yet changed any device behind the caches' back: every byte is fresh.</summary>
    private bool NoDeviceChanges => deviceChange.Count == 0 && rangeChange.Count == 0 && dmaWrites.Count == 0 && nonCoherentWrites.Count == 0;

    /// <summary>True when the byte at <paramref name="pa"/> with origin <paramref name="id"/> is fresh.</summary>
    public bool IsFresh(ulong pa, uint id, out string why)
    {
        pa = KeyIds.Strip(pa);
        if (NoDeviceChanges)
        {
            why = "";
            return true;
        }
        var origin = machine.Origins[id];
        var r = machine.Map.Resolve(pa);
        if (origin.Kind != OriginKind.Store && origin.Device != r.Device.Index)
        {
            why = $"it came from {machine.Devices[origin.Device].Name}, but range {r.Name} is now backed by {r.Device.Name}";
            return false;
        }
        return origin.Step >= ChangeStep(pa, origin, out why);
    }

    /// <summary>Judges a read: stale bytes, and bytes of another tenant when the reader names its tenant.</summary>
    public void CheckRead(int cpu, ulong va, ReadOnlySpan<byte> data, ReadOnlySpan<uint> origins, string? readerTenant, bool wasCached)
    {
        var space = machine.Cpus[cpu].AddressSpace;
        int stale = 0, leaked = 0;
        string staleWhy = "";
        uint staleOrigin = 0, leakOrigin = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (!space.TryTranslate(va + (ulong)i, out var pa, out _))
            {
                continue;
            }
            if (!IsFresh(pa, origins[i], out var why))
            {
                if (stale++ == 0)
                {
                    staleWhy = why;
                    staleOrigin = origins[i];
                }
            }
            var o = machine.Origins[origins[i]];
            if (readerTenant is not null && o.Tenant != 0 && machine.Origins.TenantName(o.Tenant) != readerTenant)
            {
                if (leaked++ == 0)
                {
                    leakOrigin = origins[i];
                }
            }
        }
        ReportRead(cpu, va, data.Length, wasCached, readerTenant, (stale, staleWhy, staleOrigin), (leaked, leakOrigin));
    }

    /// <summary>Reports what a read judged: its stale bytes (count, why, first origin) and leaked bytes (count, first origin).</summary>
    private void ReportRead(int cpu, ulong va, int length, bool wasCached, string? readerTenant,
        (int Count, string Why, uint Origin) stale, (int Count, uint Origin) leaked)
    {
        var through = wasCached ? "through a cached line" : "from memory";
        if (stale.Count > 0)
        {
            Report(PropertyNames.NoStaleRead, $"step {ScenarioStep}: cpu{cpu} read {length} bytes at 0x{va:x}; {stale.Count} came {through} from {formatter.DescribeOrigin(stale.Origin)}, but {stale.Why}");
        }
        if (leaked.Count > 0)
        {
            var o = machine.Origins[leaked.Origin];
            Report(PropertyNames.NoCrossTenantLeak, $"step {ScenarioStep}: tenant {readerTenant} read {leaked.Count} bytes written by tenant {machine.Origins.TenantName(o.Tenant)} ({formatter.DescribeOrigin(leaked.Origin)}) {through} at 0x{va:x} on cpu{cpu}");
        }
    }

    private void CheckWrittenLine(ulong line, string? cache)
    {
        line = KeyIds.Strip(line);
        if (NoDeviceChanges)
        {
            return;
        }
        Span<byte> data = stackalloc byte[64];
        Span<uint> origins = stackalloc uint[64];
        machine.ReadMedia(line, data, origins);
        var bad = 0;
        var why = "";
        uint first = 0;
        // Freshness depends on the byte only through DMA writes; without them, a run of equal origins has one verdict.
        uint lastId = 0;
        var lastFresh = true;
        for (var i = 0; i < 64; i++)
        {
            if (dmaWrites.Count == 0 && i > 0 && origins[i] == lastId)
            {
                if (!lastFresh)
                {
                    bad++;
                }
                continue;
            }
            lastId = origins[i];
            lastFresh = IsFresh(line + (ulong)i, origins[i], out var w);
            if (!lastFresh)
            {
                if (bad++ == 0)
                {
                    why = w;
                    first = origins[i];
                }
            }
        }
        if (bad > 0)
        {
            var device = machine.Map.Resolve(line).Device.Name;
            Report(PropertyNames.NoResurrection, $"step {ScenarioStep}: {(cache is null ? "a write" : cache)} wrote line 0x{line:x} back to {device}: {bad} bytes from {formatter.DescribeOrigin(first)} landed on media after {why}");
        }
    }

    /// <summary>Records a durability point and checks the bytes are in the persistence domain now.</summary>
    public void Durable(ulong address, ulong length, int scenarioStep)
    {
        var n = (int)Math.Min(length, 1 << 20);
        var expected = new byte[n];
        var expectedOrigins = new uint[n];
        machine.PeekCoherent(address, expected, expectedOrigins);
        foreach (var cpu in machine.Cpus)
        {
            cpu.StoreBuffer.Forward(address, expected, expectedOrigins);
        }
        var persisted = new byte[n];
        var persistedOrigins = new uint[n];
        if (machine.Config.Persistence == PersistenceDomain.Eadr)
        {
            machine.PeekCoherent(address, persisted, persistedOrigins);
        }
        else
        {
            machine.ReadMedia(address, persisted, persistedOrigins);
        }
        var missing = 0;
        for (var i = 0; i < n; i++)
        {
            if (persisted[i] != expected[i] || persistedOrigins[i] != expectedOrigins[i])
            {
                missing++;
            }
        }
        if (missing > 0)
        {
            Report(PropertyNames.Durability, $"step {ScenarioStep}: durability point for {n} bytes at 0x{address:x}: {missing} bytes are not yet in the {machine.Config.Persistence} persistence domain");
        }
        claims.Add((address, expected, expectedOrigins, scenarioStep));
    }

    private void CheckClaimsAfterPowerFail()
    {
        foreach (var (address, data, origins, claimStep) in claims)
        {
            var media = new byte[data.Length];
            var mediaOrigins = new uint[data.Length];
            machine.ReadMedia(address, media, mediaOrigins);
            var lost = 0;
            for (var i = 0; i < data.Length; i++)
            {
                if (mediaOrigins[i] == origins[i])
                {
                    continue;
                }
                // a newer write that persisted supersedes the promise
                var newer = machine.Origins[mediaOrigins[i]].Step > machine.Origins[origins[i]].Step;
                if (!newer)
                {
                    lost++;
                }
            }
            if (lost > 0)
            {
                Report(PropertyNames.Durability, $"step {ScenarioStep}: power failure lost {lost} of the {data.Length} bytes at 0x{address:x} promised durable at step {claimStep}");
            }
        }
    }
}
