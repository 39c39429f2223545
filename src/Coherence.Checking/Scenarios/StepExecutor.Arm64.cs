using Coherence.Kernel.Boot;
using Coherence.Kernel.Kvm;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// AArch64 platforms: reads, writes and the other instructions on <see cref="Machine.Arm64"/>, guest accesses whose
/// stage-2 aborts KVM resolves under policy <c>kvm-s2</c>, the VMM's VMAs and memslots, and their expectations
/// (errno of labelled steps, report lines for <c>expect message</c>).
/// </summary>
public sealed partial class StepExecutor
{
    private Arm64KvmContext? arm64;

    /// <summary>The execution's KVM and arm64 report context, or null while no arm64 step has needed it.</summary>
    public Arm64KvmContext? Arm64 => arm64;

    private bool IsArm64 => machine.Config.InstructionSet == InstructionSet.Arm64;

    private Arm64KvmContext Arm64For(SourceSpan where) => arm64 ??= Guard(where, () => new Arm64KvmContext(machine, policies));

    /// <summary>Executes a KVM or arm64 instruction step; false when <paramref name="step"/> is not one.</summary>
    private bool TryExecuteArm64(StepSpec step, ulong offset, string? label, out string? note)
    {
        switch (step)
        {
            case KvmVmaStep v:
                {
                    var k = Arm64For(v.Where);
                    Guard(v.Where, () => k.Mmap(v.Name, new Vma(v.Hva, v.Size, v.Flags, v.PageProt, v.PhysicalAddress / Vma.PageSize)));
                    Record(k, label, 0);
                    note = $"mmap {v.Name}: {k.VmaNamed(v.Name)}";
                    return true;
                }
            case KvmMemslotStep s:
                {
                    var k = Arm64For(s.Where);
                    var vma = Guard(s.Where, () => k.VmaNamed(s.Vma));
                    var e = Guard(s.Where, () => k.SetMemslot(s.Slot, s.Gpa, s.Size, vma.Start + s.Offset, s.Flags));
                    Record(k, label, e.ToReturnValue());
                    note = $"KVM_SET_USER_MEMORY_REGION slot {s.Slot} (kvm-s2={k.Host.Policy.ToPolicyString()}, capabilities {k.Host.Features}): returned {e.ToKernelString()}";
                    return true;
                }
            case Arm64Step a:
                note = ExecuteArm64(a, offset, label);
                return true;
            default:
                note = null;
                return false;
        }
    }

    private static void Record(Arm64KvmContext k, string? label, int rc)
    {
        if (label is not null)
        {
            k.Results[label] = rc;
        }
    }

    private Arm64Cpu Arm64CpuAt(int cpu, SourceSpan where)
    {
        if (cpu >= machine.Cpus.Count)
        {
            throw new ScenarioError(where, $"cpu{cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
        }
        return machine.Arm64[cpu];
    }

    /// <summary>A read or write on an arm64 platform: a run of LDRs or STRs (8 bytes at a time, then 4, 2, 1).</summary>
    private string? ExecuteArm64Cpu(CpuStep c, ulong offset, string? label)
    {
        var cpu = Arm64CpuAt(c.Cpu, c.Where);
        var address = c.Address + offset;
        var key = label ?? $"line{c.Where.Line}";
        var read = c.Op == CpuOp.Read;
        var length = read ? c.Length : c.Data.Length;
        var notes = new List<string>();
        var data = new byte[read ? length : 0];
        var origins = new uint[read ? length : 0];
        if (!Prefault(cpu, address, (ulong)length, read ? Stage2Permissions.Read : Stage2Permissions.Write, key, c.Where, notes))
        {
            if (read)
            {
                reads[key] = new ReadResult(key, data, origins, AccessOutcome.Stage2Fault);
            }
            return string.Join("; ", notes);
        }
        var (reads0, writes0) = (cpu.ReadTransactions, cpu.WriteTransactions);
        AccessOutcome outcome;
        if (read)
        {
            outcome = cpu.LoadSequence(address, data, origins);
            if (outcome == AccessOutcome.Ok)
            {
                CheckArm64Read(cpu, c, address, data, origins);
            }
            reads[key] = new ReadResult(key, data, origins, outcome);
            if (outcome == AccessOutcome.Ok)
            {
                notes.Add($"read {Render(data)}: {formatter.DescribeOrigins(origins)}");
            }
        }
        else
        {
            outcome = cpu.StoreSequence(address, c.Data, c.Tenant);
        }
        Report(cpu, key, c.Where, outcome, read, length, cpu.ReadTransactions - reads0, cpu.WriteTransactions - writes0, notes);
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    private string? ExecuteArm64(Arm64Step a, ulong offset, string? label)
    {
        var cpu = Arm64CpuAt(a.Cpu, a.Where);
        var address = a.Address + offset;
        var key = label ?? $"line{a.Where.Line}";
        var notes = new List<string>();
        switch (a.Op)
        {
            case Arm64Instruction.Dsb:
                cpu.Dsb(a.Barrier);
                return null;
            case Arm64Instruction.Dmb:
                cpu.Dmb(a.Barrier);
                return null;
        }
        var need = a.Op switch
        {
            Arm64Instruction.Fetch => Stage2Permissions.Execute,
            Arm64Instruction.DcZva or Arm64Instruction.DcIvac => Stage2Permissions.Write,
            _ => Stage2Permissions.Read,
        };
        if (!Prefault(cpu, a.Op == Arm64Instruction.DcZva ? address & ~63UL : address, 1, need, key, a.Where, notes))
        {
            return string.Join("; ", notes);
        }
        var writes0 = cpu.WriteTransactions;
        var outcome = a.Op switch
        {
            Arm64Instruction.DcCvac => cpu.DcCvac(address),
            Arm64Instruction.DcCvap => cpu.DcCvap(address),
            Arm64Instruction.DcCivac => cpu.DcCivac(address),
            Arm64Instruction.DcIvac => cpu.DcIvac(address),
            Arm64Instruction.DcZva => cpu.DcZva(address, a.Tenant),
            _ => cpu.Fetch(address, out _),
        };
        Report(cpu, key, a.Where, outcome, read: false, 64, 0, cpu.WriteTransactions - writes0, notes, a.Op == Arm64Instruction.DcZva ? "DC ZVA" : null);
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    /// <summary>
    /// For a guest CPU, makes every page of [address, +length) translate at stage 2 before the access runs, so the
    /// access runs once: each stage-2 abort goes to KVM (<see cref="Arm64KvmContext.Resolve"/>). Returns false when
    /// KVM did not map the page (an error such as -ENOEXEC or -EFAULT, SIGBUS, or no memslot: MMIO); the step's
    /// result is then KVM's return value.
    /// </summary>
    private bool Prefault(Arm64Cpu cpu, ulong address, ulong length, Stage2Permissions need, string key, SourceSpan where, List<string> notes)
    {
        if (cpu.Stage2 is null)
        {
            return true;
        }
        var k = Arm64For(where);
        var end = address + Math.Max(length, 1);
        for (var page = address; page < end; page = (page & ~(Arm64Stage2Table.PageSize - 1)) + Arm64Stage2Table.PageSize)
        {
            for (var attempt = 0; attempt < 4 && cpu.Translate(page, need, out _, out _) == AccessOutcome.Stage2Fault; attempt++)
            {
                var abort = cpu.LastStage2Abort!.Value;
                var r = k.Resolve(cpu, abort);
                k.Results[key] = r.Return.ToReturnValue();
                var kind = abort.Access switch
                {
                    Stage2Permissions.Write => "write",
                    Stage2Permissions.Execute => "exec",
                    _ => "read",
                };
                var returned = $"user_mem_abort returned {r.Return.ToKernelString()}";
                var what = r.Outcome switch
                {
                    Stage2FaultOutcome.Mapped => $"{returned}, mapped {r.Pte!.MemAttr}",
                    Stage2FaultOutcome.PermissionsRelaxed => $"{returned}, permissions relaxed to {r.Pte!.Prot}",
                    Stage2FaultOutcome.Mmio => "no memslot covers it (io_mem_abort): the access exits to the VMM as MMIO",
                    Stage2FaultOutcome.InjectedInstructionAbort => $"{returned}, instruction abort injected into the guest",
                    Stage2FaultOutcome.SigBus => $"{returned}, SIGBUS to the VMM",
                    Stage2FaultOutcome.Retry => $"{returned}, retried",
                    _ => $"{returned}, KVM_RUN fails",
                };
                var line = $"cpu{cpu.Index} [{key}]: stage-2 {kind} {(abort.Permission ? "permission" : "translation")} fault at IPA 0x{abort.Ipa:x}: {what}";
                k.Log.Add(line);
                notes.Add(line + " (" + string.Join("; ", r.Steps) + ")");
                if (r.Outcome is not (Stage2FaultOutcome.Mapped or Stage2FaultOutcome.PermissionsRelaxed or Stage2FaultOutcome.Retry))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Records the outcome of an arm64 access step: a fault line, or how many memory transactions a
    /// non-cacheable access took (the report <c>expect message</c> reads).</summary>
    private void Report(Arm64Cpu cpu, string key, SourceSpan where, AccessOutcome outcome, bool read, int length, long readTransactions,
        long writeTransactions, List<string> notes, string? instruction = null)
    {
        if (outcome != AccessOutcome.Ok)
        {
            var at = cpu.LastAccess is { } t ? $" at 0x{t.Va:x} ({t.Type.ShortName()})" : "";
            var line = $"cpu{cpu.Index} [{key}]: {FaultName(outcome)}{at}";
            Arm64For(where).Log.Add(line);
            notes.Add(line);
            return;
        }
        if (cpu.LastAccess is not { } access || access.Type.IsCacheable())
        {
            return;
        }
        var k = Arm64For(where);
        var n = read ? readTransactions : writeTransactions;
        var verb = instruction is not null ? $"{instruction} of {length} bytes took" : read ? $"{length} bytes loaded in" : $"{length} bytes stored in";
        var report = $"cpu{cpu.Index} [{key}]: {verb} {n} memory {(read ? "read" : "write")} transaction{(n == 1 ? "" : "s")} ({access.Type.ShortName()})";
        k.Log.Add(report);
        notes.Add(report);
    }

    private static string FaultName(AccessOutcome outcome) => outcome switch
    {
        AccessOutcome.AlignmentFault => "alignment fault",
        AccessOutcome.PermissionFault => "permission fault",
        AccessOutcome.UndefinedInstruction => "undefined instruction",
        AccessOutcome.PageFault => "translation fault",
        AccessOutcome.MachineCheck => "external abort (poison consumed)",
        AccessOutcome.Stage2Fault => "unresolved stage-2 fault",
        _ => outcome.ToString(),
    };

    /// <summary>Judges a read: freshness and tenants as for x86, and, for bytes read through a non-cacheable type, a
    /// newer value that a cache held dirty (the read did not snoop it).</summary>
    private void CheckArm64Read(Arm64Cpu cpu, CpuStep c, ulong address, byte[] data, uint[] origins)
    {
        var pas = new ulong[data.Length];
        var bypassed = new bool[data.Length];
        var cached = false;
        ulong basePa = 0;
        var start = 0;
        var nonCacheable = false;
        for (var i = 0; i < data.Length; i++)
        {
            if (i == 0 || ((address + (ulong)i) & (Arm64AddressSpace.PageSize - 1)) == 0)
            {
                cpu.Translate(address + (ulong)i, Stage2Permissions.Read, out basePa, out var type);
                start = i;
                nonCacheable = !type.IsCacheable();
                cached |= !nonCacheable;
            }
            pas[i] = basePa + (ulong)(i - start);
            bypassed[i] = nonCacheable;
        }
        oracle.CheckArm64Read(c.Cpu, address, pas, bypassed, data, origins, c.Tenant, cached);
    }

    /// <summary>Judges errno expectations on labelled arm64/KVM steps and message expectations over the kernel log and
    /// the arm64 report lines; null when neither applies.</summary>
    internal static ExpectationResult? JudgeArm64(ScenarioExecution run, ExpectSpec x)
    {
        var k = run.Executor.Arm64;
        if (k is null)
        {
            return null;
        }
        switch (x)
        {
            case ErrnoExpect e when k.Results.TryGetValue(e.Label, out var rc):
                return new ExpectationResult(e, rc == e.Errno, $"{e.Label} returned {RenderErrno(rc)}");
            case MessageExpect m:
                {
                    var lines = run.Kernel is { } kernel ? k.Log.Concat(kernel.LogLines()) : k.Log;
                    var line = lines.FirstOrDefault(l => l.Contains(m.Text, StringComparison.Ordinal));
                    var seen = line is not null ? $"the report holds \"{line}\"" : $"no kernel message or arm64 report contains \"{m.Text}\"";
                    return new ExpectationResult(m, (line is not null) != m.Negated, seen);
                }
            default:
                return null;
        }
    }

    /// <summary>Describes an arm64 or KVM step for the trace; null for other steps.</summary>
    private static string? DescribeArm64(StepSpec step, ulong offset) => step switch
    {
        Arm64Step { Op: Arm64Instruction.Dsb or Arm64Instruction.Dmb } a => $"cpu{a.Cpu} {a.Op.Mnemonic()} {a.Barrier.Option()}",
        Arm64Step { Op: Arm64Instruction.Fetch } a => $"cpu{a.Cpu} branches to 0x{a.Address + offset:x} (instruction fetch)",
        Arm64Step a => $"cpu{a.Cpu} DC {a.Op.ToString()[2..].ToUpperInvariant()} 0x{a.Address + offset:x}",
        KvmVmaStep v => $"VMM mmap {v.Name}: [0x{v.Hva:x}, +0x{v.Size:x}) -> 0x{v.PhysicalAddress:x}, {v.Flags}, pgprot {v.PageProt.AttrIndx}",
        KvmMemslotStep s => $"VMM KVM_SET_USER_MEMORY_REGION slot {s.Slot}: gpa 0x{s.Gpa:x} size 0x{s.Size:x} <- {s.Vma}+0x{s.Offset:x}{(s.Flags == KvmMemFlags.None ? "" : " " + s.Flags)}",
        _ => null,
    };
}
