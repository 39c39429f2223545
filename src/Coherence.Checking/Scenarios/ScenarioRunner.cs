using System.Globalization;
using System.Text;
using Coherence.Platform;
using Coherence.Platform.Choice;
using Coherence.Platform.Events;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// Runs a scenario's steps in order on a fresh machine with one chooser (the plain one by default), recording a
/// step-by-step trace of what happened to each line and byte, then judges the expectations.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>Runs <paramref name="spec"/>; throws <see cref="ScenarioError"/> for steps that name unknown things.</summary>
    public static ScenarioRun Run(ScenarioSpec spec, IChooser? chooser = null)
    {
        var machine = MachineBuilder.Build(spec, chooser);
        var log = new EventLog();
        machine.Observer = log;
        var run = new ScenarioRun { Machine = machine };
        var f = new TraceFormatter(machine);
        var n = 0;
        foreach (var step in spec.Steps)
        {
            n++;
            log.Clear();
            var header = $"step {n}{(step.Label is null ? "" : " [" + step.Label + "]")} ({step.Where.Line}): {Describe(step)}";
            var note = Execute(machine, step, run);
            run.Trace.Add(header);
            foreach (var e in log.Events)
            {
                run.Trace.Add("    " + f.Format(e));
            }
            if (note is not null)
            {
                run.Trace.Add("    => " + note);
            }
        }
        foreach (var x in spec.Expectations)
        {
            run.Results.Add(Judge(machine, run, x, f));
        }
        return run;
    }

    private static string? Execute(Machine machine, StepSpec step, ScenarioRun run)
    {
        switch (step)
        {
            case CpuStep c:
                return ExecuteCpu(machine, c, run);
            case DmaStep d:
                Guard(d.Where, () => machine.DeviceWrite(d.Address, d.Data, d.Tenant));
                return null;
            case DeviceStep d:
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
                        Guard(d.Where, () => machine.PoisonDeviceLine(device, d.Value));
                        break;
                }
                return null;
            case RetargetStep r:
                Guard(r.Where, () => machine.Retarget(r.Range, machine.Device(r.Device), r.Offset));
                return null;
            case PowerFailStep:
                var report = machine.PowerFail();
                return $"power failure under {report.Domain}: {report.DirtyLinesFlushed} dirty lines flushed by eADR, {report.DirtyLinesLost} dirty lines lost, {report.StoresLost} buffered stores lost, {report.WcBuffersLost} WC buffers lost";
            default:
                throw new ScenarioError(step.Where, $"unsupported step {step.GetType().Name}");
        }
    }

    private static string? ExecuteCpu(Machine machine, CpuStep c, ScenarioRun run)
    {
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
                    outcome = AccessOutcome.Ok;
                    for (var done = 0; done < c.Length && outcome == AccessOutcome.Ok; done += 64)
                    {
                        var k = Math.Min(64, c.Length - done);
                        outcome = cpu.Load(c.Address + (ulong)done, data.AsSpan(done, k), origins.AsSpan(done, k));
                    }
                    var label = c.Label ?? $"line{c.Where.Line}";
                    run.Reads[label] = new ReadResult(label, data, origins, outcome);
                    var f = new TraceFormatter(machine);
                    return outcome == AccessOutcome.Ok
                        ? $"read {Render(data)}: {f.DescribeOrigins(origins)}"
                        : $"read ended with {outcome}";
                }
            case CpuOp.Write:
                outcome = Chunks(c.Data, 64, (off, chunk) => cpu.Store(c.Address + (ulong)off, chunk, c.Tenant));
                break;
            case CpuOp.Movnti:
                outcome = Chunks(c.Data, 8, (off, chunk) => cpu.StoreNonTemporal(c.Address + (ulong)off, chunk, c.Tenant));
                break;
            case CpuOp.Movdir64b:
                outcome = Guard(c.Where, () => Chunks(c.Data, 64, (off, chunk) => cpu.DirectStore64(c.Address + (ulong)off, chunk, c.Tenant)));
                break;
            case CpuOp.Clflush:
                outcome = cpu.Clflush(c.Address);
                break;
            case CpuOp.Clflushopt:
                outcome = cpu.ClflushOpt(c.Address);
                break;
            case CpuOp.Clwb:
                outcome = cpu.Clwb(c.Address);
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

    private static AccessOutcome Chunks(byte[] data, int size, Func<int, byte[], AccessOutcome> op)
    {
        for (var off = 0; off < data.Length; off += size)
        {
            var chunk = data.AsSpan(off, Math.Min(size, data.Length - off)).ToArray();
            var outcome = op(off, chunk);
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

    private static ExpectationResult Judge(Machine machine, ScenarioRun run, ExpectSpec x, TraceFormatter f)
    {
        switch (x)
        {
            case ReadExpect r:
                {
                    if (!run.Reads.TryGetValue(r.Label, out var read))
                    {
                        throw new ScenarioError(r.Where, $"no read step is labelled '{r.Label}'");
                    }
                    var n = Math.Min(r.Data.Length, read.Data.Length);
                    var equal = read.Outcome == AccessOutcome.Ok && r.Data.Length == read.Data.Length && r.Data.AsSpan().SequenceEqual(read.Data);
                    var held = equal != r.Negated;
                    var seen = read.Outcome == AccessOutcome.Ok ? $"read {r.Label} returned {Render(read.Data)} ({f.DescribeOrigins(read.Origins.AsSpan(0, n))})" : $"read {r.Label} ended with {read.Outcome}";
                    return new ExpectationResult(r, held, seen);
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
                throw new ScenarioError(x.Where, $"unsupported expectation {x.GetType().Name}");
        }
    }

    /// <summary>Renders bytes as a quoted string when printable, else as hex.</summary>
    public static string Render(ReadOnlySpan<byte> data)
    {
        var printable = true;
        foreach (var b in data)
        {
            printable &= b is >= 0x20 and < 0x7F;
        }
        if (printable && data.Length > 0)
        {
            return "\"" + Encoding.ASCII.GetString(data) + "\"";
        }
        var sb = new StringBuilder("0x");
        foreach (var b in data)
        {
            sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Describe(StepSpec step) => step switch
    {
        CpuStep { Op: CpuOp.Read } c => $"cpu{c.Cpu} read {c.Length} bytes at 0x{c.Address:x}",
        CpuStep { Op: CpuOp.Write or CpuOp.Movnti or CpuOp.Movdir64b } c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()} {Render(c.Data)} ({c.Data.Length} bytes) at 0x{c.Address:x}{(c.Tenant is null ? "" : " as tenant " + c.Tenant)}",
        CpuStep { Op: CpuOp.Clflush or CpuOp.Clflushopt or CpuOp.Clwb } c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()} 0x{c.Address:x}",
        CpuStep c => $"cpu{c.Cpu} {c.Op.ToString().ToLowerInvariant()}",
        DmaStep d => $"DMA write {Render(d.Data)} ({d.Data.Length} bytes) at 0x{d.Address:x}{(d.Tenant is null ? "" : " as tenant " + d.Tenant)}",
        DeviceStep { Op: DeviceOp.Erase } d => $"erase {d.Device} (fill 0x{d.Value:x2})",
        DeviceStep { Op: DeviceOp.Poison } d => $"poison {d.Device} offset 0x{d.Value:x}",
        DeviceStep d => $"{d.Op.ToString().ToLowerInvariant()} {d.Device}",
        RetargetStep r => $"re-point {r.Range} at {r.Device}+0x{r.Offset:x}",
        PowerFailStep => "power failure",
        _ => step.GetType().Name,
    };
}
