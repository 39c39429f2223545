using Coherence.Checking.Strategies;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Persistence;
using Coherence.Platform.State;

namespace Coherence.Checking.Litmus;

/// <summary>
/// One execution of a litmus program on the platform model: one CPU per thread, every location on a persistent
/// (NVDIMM) range, the platform's buffers drained only when the explorer picks a background action. Final states
/// are read after every thread has finished and every buffer has drained; crash images are computed at every
/// scheduling point from the versions each tested line has had since it last reached the media.
/// </summary>
public sealed class LitmusExecution : IExecution, IMachineObserver
{
    /// <summary>Physical base of the locations' range.</summary>
    public const ulong Base = 0x1_0000_0000;

    private readonly LitmusProgram program;
    private readonly ExplorationChooser chooser;
    private readonly LitmusOutcomes outcomes;
    private readonly Machine machine;
    private readonly ThreadState[] threads;
    private readonly int[] trackedLines;
    private readonly List<byte[]>[] versions;
    private readonly List<BackgroundAction> actions = [];
    private readonly List<int> runnable = [];
    private readonly Action<string>? trace;
    private TraceFormatter? formatter;

    private sealed class ThreadState
    {
        public int Pc;
        public long[] Registers = [];
        public bool Zero;
    }

    /// <summary>Starts an execution. <paramref name="trace"/>, when given, receives one line per instruction and event.</summary>
    public LitmusExecution(LitmusProgram program, ExplorationChooser chooser, LitmusOutcomes outcomes, Action<string>? trace = null)
    {
        this.program = program;
        this.chooser = chooser;
        this.outcomes = outcomes;
        this.trace = trace;
        machine = new Machine(new PlatformConfig
        {
            Sockets = 1,
            CoresPerSocket = Math.Max(1, program.Threads.Count),
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(4096, 4),
            Llc = new CacheConfig(8192, 8),
            Persistence = program.Persistence,
            MaxBackgroundPerStep = 1,
        }, chooser);
        var lines = (ulong)Math.Max(1, program.LineCount);
        var size = (lines * 64 + 4095) & ~4095UL;
        var device = machine.AddDevice("nmem0", DeviceKind.Nvdimm, size);
        machine.AddResource("pmem0", Base, size, ResourceKind.PersistentMemory, device);
        Span<byte> init = stackalloc byte[8];
        foreach (var loc in program.Locations)
        {
            if (loc.Initial != 0)
            {
                BitConverter.TryWriteBytes(init, loc.Initial);
                machine.DeviceWrite(AddressOf(loc), init[..loc.Size], "init");
            }
        }
        threads = new ThreadState[program.Threads.Count];
        for (var t = 0; t < threads.Length; t++)
        {
            var regs = program.Threads[t].InitialRegisters.ToArray();
            threads[t] = new ThreadState { Registers = regs };
        }
        var tracked = new SortedSet<int>();
        foreach (var l in program.CrashLocations)
        {
            tracked.Add(program.Locations[l].Line);
        }
        trackedLines = [.. tracked];
        versions = new List<byte[]>[trackedLines.Length];
        for (var i = 0; i < trackedLines.Length; i++)
        {
            versions[i] = [ReadMedia(trackedLines[i])];
        }
        machine.Observer = this;
        AdvanceLocal();
    }

    /// <summary>The machine (for traces).</summary>
    public Machine Machine => machine;

    /// <summary>The physical address of a location.</summary>
    public static ulong AddressOf(LitmusLocation loc) => Base + ((ulong)loc.Line * 64) + (ulong)loc.Offset;

    /// <inheritdoc/>
    public int ThreadOptions => runnable.Count;

    /// <inheritdoc/>
    public int Options
    {
        get
        {
            Collect();
            return runnable.Count + actions.Count;
        }
    }

    /// <inheritdoc/>
    public int ThreadIdOf(int option) => runnable[option];

    private void Collect()
    {
        runnable.Clear();
        for (var t = 0; t < threads.Length; t++)
        {
            if (threads[t].Pc < program.Threads[t].Ops.Count)
            {
                runnable.Add(t);
            }
        }
        actions.Clear();
        foreach (var a in machine.BackgroundActions)
        {
            if (a.IsEagerDrain)
            {
                actions.Add(a);
            }
        }
    }

    /// <inheritdoc/>
    public void Hash(ref StateHasher h)
    {
        machine.HashState(ref h);
        foreach (var t in threads)
        {
            h.Add((ulong)t.Pc << 1 | (t.Zero ? 1UL : 0UL));
            foreach (var r in t.Registers)
            {
                h.Add(r);
            }
        }
        foreach (var list in versions)
        {
            h.Add((ulong)list.Count);
            foreach (var v in list)
            {
                h.Add(v);
            }
        }
    }

    /// <inheritdoc/>
    public void Observe()
    {
        if (program.CrashLocations.Count == 0)
        {
            return;
        }
        var choice = new int[trackedLines.Length];
        var values = new long[program.CrashLocations.Count];
        if (program.Persistence == PersistenceDomain.Eadr)
        {
            // eADR: the caches are in the persistence domain; a crash keeps the latest visible version of each line.
            for (var i = 0; i < choice.Length; i++)
            {
                choice[i] = versions[i].Count - 1;
            }
            AddCrash(choice, values);
            return;
        }
        // ADR and None: each line may have reached the media in any version since the media last changed.
        while (true)
        {
            AddCrash(choice, values);
            var k = 0;
            while (k < choice.Length && ++choice[k] == versions[k].Count)
            {
                choice[k] = 0;
                k++;
            }
            if (k == choice.Length)
            {
                return;
            }
        }
    }

    private void AddCrash(int[] choice, long[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var loc = program.Locations[program.CrashLocations[i]];
            var line = Array.IndexOf(trackedLines, loc.Line);
            values[i] = ValueIn(versions[line][choice[line]], loc);
        }
        outcomes.AddCrash([.. values], chooser.Log);
    }

    private static long ValueIn(byte[] line, LitmusLocation loc) =>
        loc.Size == 8 ? BitConverter.ToInt64(line, loc.Offset) : BitConverter.ToUInt32(line, loc.Offset);

    /// <inheritdoc/>
    public void Finish()
    {
        var values = new long[program.Observables.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(program.Observables[i]);
        }
        if (program.Filter is null || program.Filter.Eval(Value))
        {
            outcomes.AddFinal(values, chooser.Log);
        }
    }

    /// <summary>The value of an observable now (registers; memory as a coherent reader would see it).</summary>
    public long Value(Observable o)
    {
        if (o.Thread >= 0)
        {
            return threads[o.Thread].Registers[o.Index];
        }
        var loc = program.Locations[o.Index];
        Span<byte> b = stackalloc byte[8];
        machine.PeekCoherent(AddressOf(loc), b[..loc.Size], default);
        return loc.Size == 8 ? BitConverter.ToInt64(b) : BitConverter.ToUInt32(b);
    }

    /// <inheritdoc/>
    public void Take(int option)
    {
        if (option < runnable.Count)
        {
            Execute(runnable[option]);
            AdvanceLocal();
        }
        else
        {
            var a = actions[option - runnable.Count];
            trace?.Invoke($"hardware: {a.Kind} {(a.Cpu >= 0 ? "cpu" + a.Cpu : "")} line 0x{a.Address:x}");
            machine.Perform(a);
        }
    }

    /// <summary>Runs thread-local instructions (registers, compares, branches) until each thread's next memory access.</summary>
    private void AdvanceLocal()
    {
        for (var t = 0; t < threads.Length; t++)
        {
            var ops = program.Threads[t].Ops;
            var guard = 0;
            while (threads[t].Pc < ops.Count && !ops[threads[t].Pc].IsShared && guard++ < 10_000)
            {
                Execute(t);
            }
        }
    }

    private ulong Resolve(ThreadState s, MemoryRef m)
    {
        var base_ = m.Location >= 0 ? AddressOf(program.Locations[m.Location]) : unchecked((ulong)s.Registers[m.BaseRegister]);
        return unchecked(base_ + (ulong)m.Offset);
    }

    private static long Mask(long v, int size) => size >= 8 ? v : v & ((1L << (8 * size)) - 1);

    private void Execute(int t)
    {
        var s = threads[t];
        var op = program.Threads[t].Ops[s.Pc];
        var cpu = machine.X86[t];
        s.Pc++;
        if (op.IsShared)
        {
            trace?.Invoke($"P{t}: {op.Text}");
        }
        var src = op.Source >= 0 ? s.Registers[op.Source] : op.Immediate;
        switch (op.Kind)
        {
            case LitmusOpKind.Load:
                cpu.LoadValue(Resolve(s, op.Memory), op.Size, out var v);
                s.Registers[op.Dest] = (long)v;
                break;
            case LitmusOpKind.Store:
                cpu.StoreValue(Resolve(s, op.Memory), op.Size, (ulong)src);
                break;
            case LitmusOpKind.NtStore:
                {
                    Span<byte> bytes = stackalloc byte[8];
                    BitConverter.TryWriteBytes(bytes, src);
                    cpu.StoreNonTemporal(Resolve(s, op.Memory), bytes[..Math.Max(4, op.Size)]);
                    break;
                }
            case LitmusOpKind.Rmw:
                ExecuteRmw(s, op, cpu, src);
                break;
            case LitmusOpKind.Mfence:
                cpu.Mfence();
                break;
            case LitmusOpKind.Sfence:
                cpu.Sfence();
                break;
            case LitmusOpKind.Lfence:
                cpu.Lfence();
                break;
            case LitmusOpKind.Clflush:
                cpu.Clflush(Resolve(s, op.Memory));
                break;
            case LitmusOpKind.Clflushopt:
                cpu.ClflushOpt(Resolve(s, op.Memory));
                break;
            case LitmusOpKind.Clwb:
                cpu.Clwb(Resolve(s, op.Memory));
                break;
            case LitmusOpKind.Wbinvd:
                cpu.Wbinvd();
                break;
            case LitmusOpKind.Alu:
                {
                    var d = s.Registers[op.Dest];
                    s.Registers[op.Dest] = Mask(op.Alu switch
                    {
                        AluOp.Mov => src,
                        AluOp.Add => d + src,
                        AluOp.Sub => d - src,
                        AluOp.Xor => d ^ src,
                        AluOp.And => d & src,
                        _ => d | src,
                    }, op.Size);
                    break;
                }
            case LitmusOpKind.Cmp:
                s.Zero = Mask(s.Registers[op.Dest], op.Size) == Mask(src, op.Size);
                break;
            case LitmusOpKind.Branch:
                if (op.Condition == BranchCondition.Always || (op.Condition == BranchCondition.Equal) == s.Zero)
                {
                    s.Pc = op.Target;
                }
                break;
        }
    }

    private void ExecuteRmw(ThreadState s, LitmusOp op, Platform.Isa.X86.X86Cpu cpu, long src)
    {
        var address = Resolve(s, op.Memory);
        ulong old;
        switch (op.Rmw)
        {
            case RmwOp.Exchange:
                cpu.LockedRmw(address, op.Size, Platform.Isa.X86.LockedOp.Exchange, (ulong)src, out old);
                s.Registers[op.Dest] = (long)old;
                break;
            case RmwOp.FetchAdd:
                cpu.LockedRmw(address, op.Size, Platform.Isa.X86.LockedOp.Add, (ulong)src, out old);
                s.Registers[op.Dest] = (long)old;
                break;
            case RmwOp.CompareExchange:
                {
                    var expected = s.Registers[op.Dest];
                    cpu.LockedRmw(address, op.Size, Platform.Isa.X86.LockedOp.CompareExchange, (ulong)src, out old, (ulong)expected);
                    s.Zero = (long)old == Mask(expected, op.Size);
                    s.Registers[op.Dest] = (long)old;
                    break;
                }
            default:
                {
                    var (lockedOp, operand) = op.Alu switch
                    {
                        AluOp.Sub => (Platform.Isa.X86.LockedOp.Add, (ulong)(-src)),
                        AluOp.And => (Platform.Isa.X86.LockedOp.And, (ulong)src),
                        AluOp.Or => (Platform.Isa.X86.LockedOp.Or, (ulong)src),
                        AluOp.Xor => (Platform.Isa.X86.LockedOp.Xor, (ulong)src),
                        _ => (Platform.Isa.X86.LockedOp.Add, (ulong)src),
                    };
                    cpu.LockedRmw(address, op.Size, lockedOp, operand, out old);
                    break;
                }
        }
    }

    /// <inheritdoc/>
    public void OnEvent(in MachineEvent e)
    {
        if (trace is not null)
        {
            formatter ??= new TraceFormatter(machine);
            trace("    " + formatter.Format(e));
        }
        if (trackedLines.Length == 0)
        {
            return;
        }
        var line = (long)((e.Address & ~63UL) - Base) / 64;
        var i = Array.IndexOf(trackedLines, (int)line);
        if (i < 0 || e.Address < Base)
        {
            return;
        }
        switch (e.Kind)
        {
            case EventKind.StoreCommit:
            case EventKind.LockedRmw:
                versions[i].Add(ReadCoherent(trackedLines[i]));
                break;
            case EventKind.WriteBack:
            case EventKind.WcDrain:
                if (program.Persistence == PersistenceDomain.None)
                {
                    // the write sits in the write-pending queue; the visible version is already listed
                    if (e.Kind == EventKind.WcDrain)
                    {
                        versions[i].Add(ReadCoherent(trackedLines[i]));
                    }
                }
                else
                {
                    versions[i].Clear();
                    versions[i].Add(ReadMedia(trackedLines[i]));
                }
                break;
            case EventKind.QueueDrain:
                versions[i].Clear();
                versions[i].Add(ReadMedia(trackedLines[i]));
                break;
        }
    }

    private byte[] ReadMedia(int line)
    {
        var b = new byte[64];
        machine.ReadMedia(Base + ((ulong)line * 64), b, default);
        return b;
    }

    private byte[] ReadCoherent(int line)
    {
        var b = new byte[64];
        machine.PeekCoherent(Base + ((ulong)line * 64), b, default);
        return b;
    }
}
