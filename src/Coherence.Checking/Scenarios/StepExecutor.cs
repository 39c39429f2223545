using System.Globalization;
using System.Text;
using Coherence.Checking.Scenarios.Properties;
using Coherence.Platform;
using Coherence.Platform.Events;

namespace Coherence.Checking.Scenarios;

/// <summary>Runs scenario steps on a machine and judges value expectations; shared by plain runs and explorations.</summary>
public sealed partial class StepExecutor
{
    private readonly Machine machine;
    private readonly PropertyOracle oracle;
    private readonly Dictionary<string, ReadResult> reads;
    private readonly TraceFormatter formatter;
    private readonly IReadOnlyDictionary<string, string> policies;

    /// <summary>Creates an executor recording labelled reads into <paramref name="reads"/>; kernel steps run under
    /// <paramref name="policies"/> (today's upstream when null).</summary>
    public StepExecutor(Machine machine, PropertyOracle oracle, Dictionary<string, ReadResult> reads, TraceFormatter formatter,
        IReadOnlyDictionary<string, string>? policies = null)
    {
        this.machine = machine;
        this.policies = policies ?? Policies.Defaults();
        this.oracle = oracle;
        this.reads = reads;
        this.formatter = formatter;
    }

    /// <summary>Executes one step with its address advanced by <paramref name="offset"/>; returns a note for the trace.</summary>
    public string? Execute(StepSpec step, ulong offset, string? label)
    {
        if (kernel?.Halted is { } halted)
        {
            return $"skipped: {halted}";
        }
        switch (step)
        {
            case CpuStep c:
                return ExecuteCpu(c, offset, label);
            case DmaStep d:
                Guard(d.Where, () => machine.DeviceWrite(d.Address + offset, d.Data, d.Tenant));
                return null;
            case DeviceStep d:
                {
                    var device = Guard(d.Where, () => machine.Device(d.Device));
                    switch (d.Op)
                    {
                        case DeviceOp.Erase:
                            machine.EraseDevice(device, (byte)d.Value);
                            break;
                        case DeviceOp.Lock:
                            machine.SetLocked(device, true);
                            break;
                        case DeviceOp.Unlock:
                            machine.SetLocked(device, false);
                            break;
                        default:
                            Guard(d.Where, () => machine.PoisonDeviceLine(device, d.Value + offset));
                            break;
                    }
                    return null;
                }
            case RetargetStep r:
                Guard(r.Where, () => machine.Retarget(r.Range, machine.Device(r.Device), r.Offset));
                return null;
            case PowerFailStep:
                {
                    var report = machine.PowerFail();
                    return $"power failure under {report.Domain}: {report.DirtyLinesFlushed} dirty lines flushed by eADR, {report.DirtyLinesLost} dirty lines lost, {report.StoresLost} buffered stores lost, {report.WcBuffersLost} WC buffers lost";
                }
            case DurableStep d:
                Guard(d.Where, () => machine.CheckPhysical(d.Address + offset, d.Length));
                if (d.Cpu >= machine.Cpus.Count)
                {
                    throw new ScenarioError(d.Where, $"cpu{d.Cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
                }
                machine.X86[d.Cpu].Retire();
                oracle.Durable(d.Address + offset, d.Length, oracle.ScenarioStep);
                return null;
            default:
                if (TryExecuteKernel(step, offset, label, out var kernelNote))
                {
                    return kernelNote;
                }
                if (TryExecuteFlushcache(step, offset, label, out var flushNote))
                {
                    return flushNote;
                }
                if (TryExecuteArm64(step, offset, label, out var arm64Note))
                {
                    return arm64Note;
                }
                throw new ScenarioError(step.Where, $"unsupported step {step.GetType().Name}");
        }
    }

    private string? ExecuteCpu(CpuStep c, ulong offset, string? label)
    {
        if (IsArm64)
        {
            return c.Op is CpuOp.Read or CpuOp.Write
                ? ExecuteArm64Cpu(c, offset, label)
                : throw new ScenarioError(c.Where, $"{c.Op.ToString().ToLowerInvariant()} is an x86 instruction and this platform is arm64");
        }
        var address = c.Address + offset;
        if (c.Cpu >= machine.Cpus.Count)
        {
            throw new ScenarioError(c.Where, $"cpu{c.Cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
        }
        var cpu = machine.X86[c.Cpu];
        AccessOutcome outcome;
        switch (c.Op)
        {
            case CpuOp.Read:
                {
                    var data = new byte[c.Length];
                    var origins = new uint[c.Length];
                    var cached = machine.Cpus[c.Cpu].AddressSpace.TryTranslate(address, out var pa, out _) && machine.WhereCached(pa).Count > 0;
                    outcome = AccessOutcome.Ok;
                    var done = 0;
                    for (; done < c.Length && outcome == AccessOutcome.Ok; done += 64)
                    {
                        var k = Math.Min(64, c.Length - done);
                        outcome = cpu.Load(address + (ulong)done, data.AsSpan(done, k), origins.AsSpan(done, k));
                    }
                    if (outcome == AccessOutcome.Ok)
                    {
                        oracle.CheckRead(c.Cpu, address, data, origins, c.Tenant, cached);
                    }
                    var key = label ?? $"line{c.Where.Line}";
                    reads[key] = new ReadResult(key, data, origins, outcome);
                    return outcome == AccessOutcome.Ok
                        ? $"read {Render(data)}: {formatter.DescribeOrigins(origins)}"
                        : $"read ended with {outcome}";
                }
            case CpuOp.Write:
                outcome = Chunks(c.Data, 64, address, (a, chunk) => cpu.Store(a, chunk, c.Tenant));
                break;
            case CpuOp.Movnti:
                outcome = Chunks(c.Data, 8, address, (a, chunk) => cpu.StoreNonTemporal(a, chunk, c.Tenant));
                break;
            case CpuOp.Movdir64b:
                outcome = Guard(c.Where, () => Chunks(c.Data, 64, address, (a, chunk) => cpu.DirectStore64(a, chunk, c.Tenant)));
                break;
            case CpuOp.Clflush:
                outcome = cpu.Clflush(address);
                break;
            case CpuOp.Clflushopt:
                outcome = cpu.ClflushOpt(address);
                break;
            case CpuOp.Clwb:
                outcome = cpu.Clwb(address);
                break;
            case CpuOp.Sfence:
                cpu.Sfence();
                outcome = AccessOutcome.Ok;
                break;
            case CpuOp.Mfence:
                cpu.Mfence();
                outcome = AccessOutcome.Ok;
                break;
            case CpuOp.Lfence:
                cpu.Lfence();
                outcome = AccessOutcome.Ok;
                break;
            case CpuOp.Wbinvd:
                outcome = cpu.Wbinvd();
                break;
            default:
                outcome = cpu.Wbnoinvd();
                break;
        }
        return outcome == AccessOutcome.Ok ? null : $"ended with {outcome}";
    }

    /// <summary>One instruction's worth of a longer store.</summary>
    private delegate AccessOutcome ChunkOp(ulong address, ReadOnlySpan<byte> chunk);

    private static AccessOutcome Chunks(byte[] data, int size, ulong address, ChunkOp op)
    {
        for (var off = 0; off < data.Length; off += size)
        {
            var outcome = op(address + (ulong)off, data.AsSpan(off, Math.Min(size, data.Length - off)));
            if (outcome != AccessOutcome.Ok)
            {
                return outcome;
            }
        }
        return AccessOutcome.Ok;
    }

    private static T Guard<T>(SourceSpan where, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (ArgumentException e)
        {
            throw new ScenarioError(where, e.Message, e);
        }
    }

    private static void Guard(SourceSpan where, Action f) => Guard(where, () =>
    {
        f();
        return 0;
    });

    /// <summary>Judges a value expectation at the end of an execution; null for property expectations.</summary>
    public static ExpectationResult? JudgeValue(Machine machine, ScenarioExecution run, ExpectSpec x, TraceFormatter f)
    {
        switch (x)
        {
            case ReadExpect r:
                {
                    if (!run.Reads.TryGetValue(r.Label, out var read))
                    {
                        return new ExpectationResult(r, false, $"read {r.Label} did not run");
                    }
                    var n = Math.Min(r.Data.Length, read.Data.Length);
                    var equal = read.Outcome == AccessOutcome.Ok && r.Data.Length == read.Data.Length && r.Data.AsSpan().SequenceEqual(read.Data);
                    var seen = read.Outcome == AccessOutcome.Ok ? $"read {r.Label} returned {Render(read.Data)} ({f.DescribeOrigins(read.Origins.AsSpan(0, n))})" : $"read {r.Label} ended with {read.Outcome}";
                    return new ExpectationResult(r, equal != r.Negated, seen);
                }
            case MediaExpect m:
                {
                    var data = new byte[m.Data.Length];
                    var origins = new uint[m.Data.Length];
                    Guard(m.Where, () => machine.ReadMedia(m.Address, data, origins));
                    var held = data.AsSpan().SequenceEqual(m.Data) != m.Negated;
                    return new ExpectationResult(m, held, $"media at 0x{m.Address:x} holds {Render(data)} ({f.DescribeOrigins(origins)})");
                }
            case MachineCheckExpect mc:
                {
                    var any = machine.MachineChecks.Count > 0;
                    return new ExpectationResult(mc, any != mc.Negated, $"{machine.MachineChecks.Count} machine check(s) raised");
                }
            default:
                return JudgeFlushcache(run, x) ?? JudgeArm64(run, x) ?? JudgeKernel(machine, run, x, f);
        }
    }

    /// <summary>Renders bytes as a quoted string when printable, else as hex.</summary>
    public static string Render(ReadOnlySpan<byte> data)
    {
        var printable = data.Length > 0;
        foreach (var b in data)
        {
            printable &= b is >= 0x20 and < 0x7F;
        }
        if (printable)
        {
            return "\"" + Encoding.ASCII.GetString(data) + "\"";
        }
        if (data.Length > 32)
        {
            var allSame = true;
            foreach (var b in data)
            {
                allSame &= b == data[0];
            }
            if (allSame)
            {
                return string.Create(CultureInfo.InvariantCulture, $"0x{data[0]:x2} * {data.Length}");
            }
        }
        var sb = new StringBuilder("0x");
        foreach (var b in data)
        {
            sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Describes a step for the trace (address advanced by <paramref name="offset"/>).</summary>
    public static string Describe(StepSpec step, ulong offset = 0) => step switch
    {
        CpuStep { Op: CpuOp.Read } c => $"cpu{c.Cpu} read {c.Length} bytes at 0x{c.Address + offset:x}{(c.Tenant is null ? "" : " as tenant " + c.Tenant)}",
        CpuStep { Op: CpuOp.Write or CpuOp.Movnti or CpuOp.Movdir64b } c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()} {Render(c.Data)} ({c.Data.Length} bytes) at 0x{c.Address + offset:x}{(c.Tenant is null ? "" : " as tenant " + c.Tenant)}",
        CpuStep { Op: CpuOp.Clflush or CpuOp.Clflushopt or CpuOp.Clwb } c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()} 0x{c.Address + offset:x}",
        CpuStep c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()}",
        DmaStep d => $"DMA write {Render(d.Data)} ({d.Data.Length} bytes) at 0x{d.Address + offset:x}{(d.Tenant is null ? "" : " as tenant " + d.Tenant)}",
        DeviceStep { Op: DeviceOp.Erase } d => $"erase {d.Device} (fill 0x{d.Value:x2})",
        DeviceStep { Op: DeviceOp.Poison } d => $"poison {d.Device} offset 0x{d.Value + offset:x}",
        DeviceStep d => $"{d.Op.ToString().ToLowerInvariant()} {d.Device}",
        RetargetStep r => $"re-point {r.Range} at {r.Device}+0x{r.Offset:x}",
        PowerFailStep => "power failure",
        DurableStep d => $"cpu{d.Cpu} durability point: {d.Length} bytes at 0x{d.Address + offset:x}",
        _ => DescribeKernel(step) ?? DescribeArm64(step, offset) ?? step.GetType().Name,
    };
}
