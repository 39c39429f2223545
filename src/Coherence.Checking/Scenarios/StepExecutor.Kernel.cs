using Coherence.Kernel.Boot;
using Coherence.Kernel.Cxl;
using Coherence.Kernel.Modules;
using Coherence.Platform;
using Coherence.Platform.Events;

namespace Coherence.Checking.Scenarios;

/// <summary>Kernel operations (memregion, NVDIMM, CXL, modules) and their expectations (errno, messages).</summary>
public sealed partial class StepExecutor
{
    private KernelContext? kernel;

    /// <summary>The execution's kernel, or null while no kernel step has run.</summary>
    public KernelContext? Kernel => kernel;

    private KernelContext KernelFor(SourceSpan where) => kernel ??= Guard(where, () => new KernelContext(machine, policies));

    /// <summary>Executes a kernel step; false when <paramref name="step"/> is not one.</summary>
    private bool TryExecuteKernel(StepSpec step, ulong offset, string? label, out string? note)
    {
        note = null;
        if (step is not KernelStep)
        {
            return false;
        }
        var k = KernelFor(step.Where);
        int rc;
        try
        {
            rc = Run(k, step, offset);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or KeyNotFoundException or KernelHangException)
        {
            throw new ScenarioError(step.Where, e.Message, e);
        }
        finally
        {
            foreach (var w in k.NewWarnings())
            {
                oracle.KernelWarning(w);
            }
        }
        if (label is not null)
        {
            k.Results[label] = rc;
        }
        var logged = k.NewLogLines();
        var parts = new List<string>();
        if (step is not (KernelBootStep or KeyringAddStep or KernelWaitStep or TdxResetFailsStep))
        {
            parts.Add($"returned {RenderErrno(rc)}");
        }
        parts.AddRange(logged.Select(l => $"log: {l}"));
        note = parts.Count == 0 ? null : string.Join("; ", parts);
        return true;
    }

    private int Run(KernelContext k, StepSpec step, ulong offset)
    {
        switch (step)
        {
            case KernelBootStep:
                return 0;
            case KernelWaitStep w:
                k.Work.Advance((long)Math.Min(w.Seconds, long.MaxValue / 2));
                return 0;
            case InvalidateMemregionStep m:
                {
                    k.Kernel.CurrentCpu = m.Cpu;
                    var e = m.Length == ulong.MaxValue ? k.Kernel.CpuCache.InvalidateAll() : k.Kernel.CpuCache.InvalidateMemregion(m.Start + offset, m.Length);
                    k.Kernel.CurrentCpu = 0;
                    return e.ToReturnValue();
                }
            case KeyringAddStep a:
                k.AddKey(a.Name, a.Passphrase);
                return 0;
            case NvdimmStep n:
                return -(int)RunNvdimm(k, n);
            case NdRegionStep r:
                {
                    var region = k.Region(r.Range);
                    if (r.Activate)
                    {
                        return -(int)region.Probe();
                    }
                    region.Remove();
                    return 0;
                }
            case CxlRegionStep c:
                return -(int)RunCxlRegion(k, c);
            case CxlMemdevStep d:
                return -(int)k.Memdev(d.Device).Sanitize(d.SecureErase ? CxlMboxOpcode.SecureErase : CxlMboxOpcode.Sanitize);
            case ModuleLoadStep m:
                return k.Kernel.Modules.Load(new ModuleSpec(m.Name, m.License, m.Imports, m.Uses)).Result.ToReturnValue();
            default:
                return RunTdx(k, step, offset) ?? throw new ScenarioError(step.Where, $"unsupported kernel step {step.GetType().Name}");
        }
    }

    private static Errno RunNvdimm(KernelContext k, NvdimmStep n)
    {
        switch (n.Op)
        {
            case NvdimmOp.Passphrase:
                {
                    if (k.HasDimm(n.Device))
                    {
                        throw new ArgumentException($"nvdimm {n.Device} passphrase must come before the kernel uses {n.Device}: it stands for the firmware set-up before boot");
                    }
                    var fw = k.Firmware(n.Device);
                    fw.ProvisionUserPassphrase(Coherence.Kernel.Nvdimm.KeyRing.Passphrase(n.Passphrase!));
                    if (n.Locked)
                    {
                        fw.PowerCycle();
                    }
                    return Errno.Ok;
                }
            case NvdimmOp.Unlock:
                {
                    var dimm = k.Dimm(n.Device);
                    // What ndctl does before the DIMM driver probes: load the passphrase as "nvdimm:<dimm id>".
                    var key = k.Keys.Lookup(k.KeySerial(n.Key!))!;
                    k.Keys.AddNvdimmKey(dimm.DimmId, key.Payload);
                    return dimm.Probe();
                }
            case NvdimmOp.Erase:
                return k.Dimm(n.Device).SecurityStore($"erase {k.KeySerial(n.Key!)}");
            default:
                return k.Dimm(n.Device).SecurityStore($"overwrite {k.KeySerial(n.Key!)}");
        }
    }

    private static Errno RunCxlRegion(KernelContext k, CxlRegionStep c)
    {
        switch (c.Op)
        {
            case CxlRegionOp.Create:
                return k.CreateCxlRegion(c.Region, c.Argument!);
            case CxlRegionOp.Attach:
                return k.CxlRegion(c.Region).AttachTarget(0, k.Memdev(c.Argument!).Endpoint!.Decoders[0]);
            case CxlRegionOp.Detach:
                return k.CxlRegion(c.Region).DetachTarget(0);
            case CxlRegionOp.Commit:
                {
                    var region = k.CxlRegion(c.Region);
                    var rc = region.Commit();
                    return rc == Errno.Ok ? region.Probe() : rc;
                }
            default:
                return k.CxlRegion(c.Region).Decommit();
        }
    }

    /// <summary>Describes a kernel step for the trace; null for other steps.</summary>
    private static string? DescribeKernel(StepSpec step) => step switch
    {
        KernelBootStep => "kernel boot",
        KernelWaitStep w => $"kernel: {w.Seconds} s pass on the delayed-work clock",
        InvalidateMemregionStep { Length: ulong.MaxValue } m => $"cpu{m.Cpu}: cpu_cache_invalidate_memregion(all)",
        InvalidateMemregionStep m => $"cpu{m.Cpu}: cpu_cache_invalidate_memregion(0x{m.Start:x}, 0x{m.Length:x})",
        KeyringAddStep a => $"keyring: add encrypted key {a.Name}",
        NvdimmStep { Op: NvdimmOp.Passphrase } n => $"{n.Device} firmware: user passphrase set{(n.Locked ? ", powers up locked" : "")}",
        NvdimmStep { Op: NvdimmOp.Unlock } n => $"{n.Device}: nvdimm_probe -> nvdimm_security_unlock (key {n.Key})",
        NvdimmStep n => $"{n.Device}: security {n.Op.ToString().ToLowerInvariant()} (key {n.Key})",
        NdRegionStep r => r.Activate ? $"region {r.Range}: nd_region_probe" : $"region {r.Range}: nd_region_remove",
        CxlRegionStep c => c.Op switch
        {
            CxlRegionOp.Create => $"cxl {c.Region}: create in {c.Argument} (x1, whole window)",
            CxlRegionOp.Attach => $"cxl {c.Region}: attach {c.Argument} as target 0",
            CxlRegionOp.Detach => $"cxl {c.Region}: detach target 0",
            CxlRegionOp.Commit => $"cxl {c.Region}: commit and probe",
            _ => $"cxl {c.Region}: decommit (decode reset)",
        },
        CxlMemdevStep d => $"cxl {d.Device}: {(d.SecureErase ? "secure erase" : "sanitize")}",
        ModuleLoadStep m => $"load module {m.Name}",
        _ => DescribeTdx(step),
    };

    /// <summary>Renders a kernel return value: 0, or -ENAME.</summary>
    public static string RenderErrno(int rc)
    {
        if (rc == 0)
        {
            return "0";
        }
        var n = (Errno)(-rc);
        if (Enum.IsDefined(n))
        {
            return "-" + n;
        }
        var b = (Errno)(-rc);
        return Enum.IsDefined(b) ? "-" + b : rc.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Judges errno and message expectations (null for kinds it does not know).</summary>
    private static ExpectationResult? JudgeKernel(Machine machine, ScenarioExecution run, ExpectSpec x, TraceFormatter f)
    {
        _ = machine;
        _ = f;
        var k = run.Kernel;
        switch (x)
        {
            case ErrnoExpect e:
                {
                    if (k is null || !k.Results.TryGetValue(e.Label, out var rc))
                    {
                        return new ExpectationResult(e, false, $"no kernel operation is labelled '{e.Label}'");
                    }
                    return new ExpectationResult(e, rc == e.Errno, $"{e.Label} returned {RenderErrno(rc)}");
                }
            case MessageExpect m:
                {
                    var line = k?.LogLines().FirstOrDefault(l => l.Contains(m.Text, StringComparison.Ordinal));
                    var seen = line is not null ? $"the kernel logged \"{line}\"" : k is null ? "the kernel did not run" : $"no kernel message contains \"{m.Text}\"";
                    return new ExpectationResult(m, (line is not null) != m.Negated, seen);
                }
            default:
                return null;
        }
    }
}
