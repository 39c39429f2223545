using Coherence.Kernel.Pmem;
using Coherence.Platform;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Checking.Scenarios;

/// <summary>Flushcache copies, the pmem driver, PREFLUSH/FUA and fsync on DAX.</summary>
public sealed partial class StepExecutor
{
    private readonly Dictionary<string, PmemNamespace> pmemNamespaces = new(StringComparer.Ordinal);

    /// <summary>The execution's effective policies (facility → variant); null means every default.</summary>
    public IReadOnlyDictionary<string, string>? FlushcachePolicies { get; init; }

    /// <summary>Return values of labelled flushcache/pmem steps (0, a byte count, or a negative errno).</summary>
    public Dictionary<string, long> FlushcacheResults { get; } = new(StringComparer.Ordinal);

    private string FlushcachePolicy(string facility) =>
        FlushcachePolicies is { } p && p.TryGetValue(facility, out var v) ? v : Policies.Find(facility)!.Default;

    /// <summary>Executes a flushcache/pmem step; false when <paramref name="step"/> is not one.</summary>
    private bool TryExecuteFlushcache(StepSpec step, ulong offset, string? label, out string? note)
    {
        switch (step)
        {
            case PmemNamespaceStep n:
                {
                    var range = Guard(n.Where, () => machine.Map.Resources.FirstOrDefault(r => r.Name == n.Range)
                        ?? throw new ArgumentException($"unknown range '{n.Range}'"));
                    var variant = FlushcacheVariants.Parse(FlushcachePolicy("flushcache"));
                    CheckFlushcacheIsa(n.Where, variant);
                    var ns = Guard(n.Where, () => new PmemNamespace(machine, n.Name, range, n.FlushHints, variant, FlushcachePolicy("pmem-wmb") == "on")
                    {
                        InvalidateAfterClearingPoison = FlushcachePolicy("pmem-clear-poison") == "invalidate",
                        SetsDaxWriteCache = FlushcachePolicy("dax-flush") == "write-cache",
                    });
                    pmemNamespaces[n.Name] = ns;
                    note = $"pmem namespace {n.Name} over {n.Range}: flushcache={FlushcachePolicy("flushcache")}, pmem-wmb={FlushcachePolicy("pmem-wmb")}, {n.FlushHints} flush hint(s), nvdimm_has_cache={ns.HasCache}, dax-flush={FlushcachePolicy("dax-flush")} (DAXDEV_WRITE_CACHE {(ns.DaxWriteCache ? "set" : "clear")})"
                        + (variant.IsArm64() ? $", dcache_clean_pop runs {new Arm64FlushcacheCopier(machine.Arm64[0], variant).CleanInstruction.Mnemonic()}" : "")
                        + string.Concat(ns.Log.Select(l => "; " + l));
                    return true;
                }
            case FlushcacheStep f:
                note = ExecuteFlushcache(f, offset, label);
                return true;
            default:
                note = null;
                return false;
        }
    }

    private string ExecuteFlushcache(FlushcacheStep f, ulong offset, string? label)
    {
        if (f.Cpu >= machine.Cpus.Count)
        {
            throw new ScenarioError(f.Where, $"cpu{f.Cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
        }
        var variantName = FlushcachePolicy("flushcache");
        var variant = FlushcacheVariants.Parse(variantName);
        CheckFlushcacheIsa(f.Where, variant);
        PmemResult result;
        switch (f.Op)
        {
            case FlushcacheOp.MemcpyFlushcache:
            case FlushcacheOp.CopyFromIter:
                {
                    var dst = f.Address + offset;
                    Guard(f.Where, () => machine.CheckPhysical(dst, (ulong)f.Data.Length));
                    var copier = FlushcacheCopiers.For(machine, f.Cpu, variant);
                    long copied;
                    if (f.Op == FlushcacheOp.MemcpyFlushcache)
                    {
                        copier.MemcpyFlushcache(dst, f.Data, f.Constant);
                        copied = f.Data.Length;
                    }
                    else
                    {
                        copied = (long)copier.CopyFromIter(dst, IovIter.Single(f.Iter, f.Data, f.FaultAt));
                    }
                    var name = f.Op == FlushcacheOp.MemcpyFlushcache ? "memcpy_flushcache" : "copy_from_iter_flushcache";
                    result = new PmemResult(copied, [], $"{name} of {f.Data.Length} bytes at 0x{dst:x} (flushcache={variantName}{CleanNote(copier)}): {copied} copied, {copier.Instructions} instructions"
                        + (copier.Outcome == AccessOutcome.Ok ? "" : $", {copier.Outcome}"));
                    break;
                }
            default:
                {
                    var ns = pmemNamespaces.TryGetValue(f.Namespace ?? "", out var found) ? found
                        : throw new ScenarioError(f.Where, $"pmem namespace '{f.Namespace}' is not attached yet: its 'pmem-namespace' statement must come first");
                    result = f.Op switch
                    {
                        FlushcacheOp.DaxWrite => ns.DaxWrite(f.Cpu, f.Address + offset, IovIter.Single(f.Iter, f.Data, f.FaultAt)),
                        FlushcacheOp.DaxMmapWrite => Guard(f.Where, () => ns.DaxMmapStore(f.Cpu, f.Address + offset, f.Data)),
                        FlushcacheOp.Fsync => ns.Fsync(f.Cpu),
                        FlushcacheOp.BioFlush => ns.SubmitBio(f.Cpu, 0, [], preflush: true, fua: false),
                        _ => ns.SubmitBio(f.Cpu, f.Address + (offset / 512), f.Data, f.Preflush, f.Fua),
                    };
                    break;
                }
        }
        if (label is not null)
        {
            FlushcacheResults[label] = result.Result;
        }
        if (result.Durable.Count > 0)
        {
            // The operation returned success: the kernel now promises these bytes durable.
            machine.X86[f.Cpu].Retire();
            if (result.Result >= 0)
            {
                foreach (var d in result.Durable)
                {
                    oracle.Durable(d.Address, d.Length, oracle.ScenarioStep);
                }
            }
        }
        return $"{result.Note}; returned {result.Result}";
    }

    /// <summary>The x86 copy needs an x86 platform and the arm64 ones an arm64 platform; the plain-copy fallbacks run on
    /// either.</summary>
    private void CheckFlushcacheIsa(SourceSpan where, FlushcacheVariant variant)
    {
        if (variant.IsArm64() && !IsArm64)
        {
            throw new ScenarioError(where, $"flushcache={FlushcachePolicy("flushcache")} runs DC CVAP or DC CVAC on an AArch64 CPU: declare 'platform arch=arm64'");
        }
        if (variant.IsX86() && IsArm64)
        {
            throw new ScenarioError(where, "flushcache=x86 runs MOVNTI and CLWB on an x86 CPU, and this platform is arm64: use flushcache=arm64-cvap or arm64-cvac");
        }
    }

    /// <summary>", DC CVAP per line" (which clean an arm64 copy issues after alternative patching), or nothing.</summary>
    private static string CleanNote(IFlushcacheCopier copier) =>
        copier is Arm64FlushcacheCopier { HasFlushcache: true } a ? $", {a.CleanInstruction.Mnemonic()} per line" : "";

    /// <summary>Judges an errno expectation on a labelled flushcache/pmem step; null when the label is not one.</summary>
    internal static ExpectationResult? JudgeFlushcache(ScenarioExecution run, ExpectSpec x)
    {
        if (x is ErrnoExpect e && run.Executor.FlushcacheResults.TryGetValue(e.Label, out var r))
        {
            var got = r > 0 ? 0 : r;
            return new ExpectationResult(e, got == e.Errno, $"{e.Label} returned {r}");
        }
        return null;
    }
}
