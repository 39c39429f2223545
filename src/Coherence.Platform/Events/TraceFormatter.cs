using System.Globalization;
using Coherence.Platform.Addressing;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Isa.X86;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Events;

/// <summary>
/// Renders events as one tagged line each (<c>[evict] step 4 cpu2.L2 line 0x1040 dirty -> socket0.LLC</c>) and
/// origins in words. Text only: no I/O.
/// </summary>
public sealed class TraceFormatter
{
    private readonly Machine machine;

    /// <summary>Creates a formatter for events of <paramref name="machine"/>.</summary>
    public TraceFormatter(Machine machine) => this.machine = machine;

    /// <summary>Maps machine steps to the numbers a reader sees (a scenario numbers its own steps); identity when null.</summary>
    public Func<long, long>? StepNames { get; set; }

    private long Name(long step) => StepNames is null ? step : StepNames(step);

    private static string Hex(ulong a) => "0x" + a.ToString("x", CultureInfo.InvariantCulture);

    private string DeviceName(int d) => d >= 0 && d < machine.Devices.Count ? machine.Devices[d].Name : "?";

    /// <summary>Describes origin <paramref name="id"/> in words.</summary>
    public string DescribeOrigin(uint id)
    {
        if (id == 0 || id >= machine.Origins.Count)
        {
            return "unknown origin";
        }
        var o = machine.Origins[id];
        var tenant = o.Tenant != 0 ? $" (tenant {machine.Origins.TenantName(o.Tenant)})" : "";
        return o.Kind switch
        {
            OriginKind.Store => $"store by cpu{o.Cpu} at step {Name(o.Step)}{tenant}",
            OriginKind.Initial => $"initial contents of {DeviceName(o.Device)}",
            OriginKind.DeviceWrite => $"DMA write to {DeviceName(o.Device)} at step {Name(o.Step)}{tenant}",
            OriginKind.Erase => $"erase of {DeviceName(o.Device)} at step {Name(o.Step)} (epoch {o.Epoch})",
            OriginKind.PowerLoss => $"contents of {DeviceName(o.Device)} after power loss at step {Name(o.Step)}",
            OriginKind.Poison => $"poison from {DeviceName(o.Device)}",
            OriginKind.TdPrivate => $"a TD-private line of {DeviceName(o.Device)} read through another KeyID (reads as zero)",
            _ => $"all-ones from locked {DeviceName(o.Device)}",
        };
    }

    /// <summary>Summarises the origins of a run of bytes: "8 bytes from store by cpu0 at step 2; 8 bytes from ...".</summary>
    public string DescribeOrigins(ReadOnlySpan<uint> origins)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < origins.Length)
        {
            var j = i;
            while (j < origins.Length && origins[j] == origins[i])
            {
                j++;
            }
            parts.Add($"{j - i} byte{(j - i == 1 ? "" : "s")} from {DescribeOrigin(origins[i])}");
            i = j;
        }
        return string.Join("; ", parts);
    }

    /// <summary>Renders one event as a trace line.</summary>
    public string Format(in MachineEvent e)
    {
        var who = e.Cpu >= 0 ? $"cpu{e.Cpu}" : "platform";
        var tag = "[" + e.Kind.ToString().ToLowerInvariant() + "]";
        var head = StepNames is null ? $"{tag} step {e.Step} {who}" : $"{tag} {who}";
        return e.Kind switch
        {
            EventKind.Load => $"{head} load {e.Length} bytes at {Hex(e.Address)}: {((AccessOutcome)e.Detail == AccessOutcome.Ok ? "first byte from " + DescribeOrigin(e.Origin) : ((AccessOutcome)e.Detail).ToString())}",
            EventKind.Store => $"{head} store {e.Length} bytes at {Hex(e.Address)} into the store buffer",
            EventKind.StoreCommit => $"{head} store {e.Length} bytes at {Hex(e.Address)} leaves the store buffer ({((MemoryType)e.Detail).ShortName()}) -> {(((MemoryType)e.Detail).IsCacheable() && (MemoryType)e.Detail == MemoryType.WriteBack ? e.Cache : "device")}",
            EventKind.WcGather => $"{head} {(e.Detail == 1 ? "non-temporal" : "write-combining")} store {e.Length} bytes at {Hex(e.Address)} gathers in a WC buffer",
            EventKind.WcDrain => $"{head} WC buffer line {Hex(e.Address)} ({e.Length} bytes) -> {DeviceName(e.Device)}",
            EventKind.Fill => $"{head} {e.Cache} fill line {Hex(e.Address)} from {(e.Detail == 0 ? "device" : e.Detail == 1 ? "device (speculative)" : "another cache")}{(e.Dirty ? " for writing" : "")}",
            EventKind.Evict => $"{head} {e.Cache} line {Hex(e.Address)} {(e.Dirty ? "dirty" : "clean")} -> {(e.Detail >= 0 ? machine.Cache((int)e.Detail).Name : e.Dirty ? "write-back" : "dropped")}",
            EventKind.WriteBack => $"{head} {e.Cache ?? "write-through"} line {Hex(e.Address)} written back -> {DeviceName(e.Device)}",
            EventKind.Invalidate => $"{head} {e.Cache} line {Hex(e.Address)} invalidated{(e.Dirty ? " (was dirty)" : "")}",
            EventKind.FlushIssue => $"{head} {((X86Instruction)e.Detail).ToString().ToUpperInvariant()} line {Hex(e.Address)} issued",
            EventKind.FlushComplete => $"{head} {((X86Instruction)e.Detail).ToString().ToUpperInvariant()} line {Hex(e.Address)} completed",
            EventKind.Fence => $"{head} {((X86Instruction)e.Detail).ToString().ToUpperInvariant()}",
            EventKind.LockedRmw => $"{head} locked {(LockedOp)e.Detail} {e.Length} bytes at {Hex(e.Address)}",
            EventKind.Wbinvd => $"{head} {(e.Detail >= 0 ? "WBINVD" : "WBNOINVD")}: {(e.Detail >= 0 ? e.Detail : -e.Detail - 1)} dirty lines written back from cpu{e.Cpu}'s caches and its socket's LLC",
            EventKind.WbinvdTrapped => $"{head} WBINVD in a guest: {(AccessOutcome)e.Detail}",
            EventKind.DirectStore => $"{head} MOVDIR64B line {Hex(e.Address)}",
            EventKind.DeviceErase => $"{head} {DeviceName(e.Device)} erased (new epoch, fill 0x{e.Detail:x2}); cached copies untouched",
            EventKind.DeviceWrite => $"{head} DMA write {e.Length} bytes at {Hex(e.Address)} -> {DeviceName(e.Device)}",
            EventKind.WriteDropped => $"{head} write of line {Hex(e.Address)} dropped: {DeviceName(e.Device)} is locked",
            EventKind.DeviceLock => $"{head} {DeviceName(e.Device)} {(e.Detail == 1 ? "locked" : "unlocked")}",
            EventKind.PoisonLine => $"{head} {DeviceName(e.Device)} media line {Hex(e.Address)} poisoned",
            EventKind.Retarget => $"{head} range at {Hex(e.Address)} now backed by {DeviceName(e.Device)}+{Hex((ulong)e.Detail)}",
            EventKind.QueueDrain => $"{head} {DeviceName(e.Device)} write-pending queue line {Hex(e.Address)} -> media",
            EventKind.PowerFail => $"{head} power failure ({(Persistence.PersistenceDomain)e.Detail})",
            EventKind.MachineCheck => $"{head} MACHINE CHECK consuming {Hex(e.Address)}: {DescribeOrigin(e.Origin)}",
            EventKind.Fault when e.Detail >= Arm64Trace.FaultDetail => $"{head} fault at {Hex(e.Address)}: {(AccessOutcome)(e.Detail - Arm64Trace.FaultDetail)}",
            EventKind.Fault => $"{head} fault at {Hex(e.Address)}",
            EventKind.TdOwnership => e.Detail == 0
                ? $"{head} line {Hex(e.Address)} converted back to shared memory (TD bit cleared)"
                : $"{head} line {Hex(e.Address)} now TD-private under KeyID {e.Detail}",
            EventKind.TdPartialWritePoison => $"{head} partial write ({e.Length} bytes) from outside the TD reached TD-private line {Hex(e.Address)}: line poisoned (TDX partial-write erratum)",
            EventKind.OverwroteNewer => $"{head} write of line {Hex(e.Address)} replaced {e.Detail} newer bytes with older ones ({DescribeOrigin(e.Origin)})",
            EventKind.Arm64Access or EventKind.Arm64Maintenance => $"{head} {Arm64Trace.Describe(e, DescribeOrigin)}",
            EventKind.UncachedWrite => $"{head} uncached write line {Hex(e.Address)} ({e.Length} bytes) -> {DeviceName(e.Device)}",
            _ => $"{head} {e.Kind}",
        };
    }
}
