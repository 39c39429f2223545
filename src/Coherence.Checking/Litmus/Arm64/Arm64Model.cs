using Coherence.Platform.State;

namespace Coherence.Checking.Litmus.Arm64;

/// <summary>One successor of a state: the thread that moved, what it did (for traces), and the new state.</summary>
/// <param name="Thread">The thread.</param>
/// <param name="Text">A trace line.</param>
/// <param name="State">The state after the step.</param>
internal sealed record ArmStep(int Thread, string Text, ArmState State);

/// <summary>
/// The transition rules of the AArch64 model for one litmus program: a user-mode, non-mixed-size rendering of
/// Promising-Arm (Pulte, Pichon-Pharabod, Kang, Lee, Hur, PLDI 2019), which is proved equivalent to the Armv8
/// axiomatic model of herd7 (aarch64.cat), extended with DSB, DC maintenance and per-line persistence bounds in the
/// style of the view-based Armv8 persistency model (Cho, Lee, Raad, Kang, PLDI 2021).
/// <para>
/// A thread executes in program order; reads may read any message of the location that its views allow, writes
/// append a message or fulfil an earlier promise. A thread may promise a write it can later execute; every state
/// must be certified: each thread, running alone, can fulfil all its promises. The results of certification and
/// the promise candidates are cached per thread state and memory (<see cref="soloCache"/>) across the executions
/// of one exploration.
/// </para>
/// </summary>
internal sealed class Arm64Model
{
    private const int SoloLimit = 20_000;
    private const int LocalLimit = 10_000;

    private readonly LitmusProgram program;
    private readonly Dictionary<ulong, int> locationOfAddress = [];
    private readonly int[][] lineLocations;
    private readonly int lineCount;
    private readonly Dictionary<(int, (ulong, ulong)), SoloResult> soloCache = [];

    private sealed record SoloResult(bool Certifiable, List<(int Location, long Value)> Candidates);

    private sealed class Solo
    {
        public int BaseLength;
        public readonly HashSet<(int, long)> Candidates = [];
    }

    public Arm64Model(LitmusProgram program)
    {
        this.program = program;
        for (var i = 0; i < program.Locations.Count; i++)
        {
            locationOfAddress[LitmusExecution.AddressOf(program.Locations[i])] = i;
        }
        lineCount = program.LineCount;
        lineLocations = new int[lineCount][];
        for (var line = 0; line < lineCount; line++)
        {
            var l = line;
            lineLocations[line] = [.. Enumerable.Range(0, program.Locations.Count).Where(i => program.Locations[i].Line == l)];
        }
    }

    public LitmusProgram Program => program;

    public int LineCount => lineCount;

    public IReadOnlyList<int> LocationsOfLine(int line) => lineLocations[line];

    /// <summary>The initial state, each thread already advanced to its first memory access.</summary>
    public ArmState Initial()
    {
        var locs = program.Locations.Count;
        var s = new ArmState { Threads = new ArmThread[program.Threads.Count], Bound = new int[lineCount] };
        for (var t = 0; t < s.Threads.Length; t++)
        {
            var regs = program.Threads[t].InitialRegisters.ToArray();
            var th = new ArmThread
            {
                Regs = regs,
                RegViews = new int[regs.Length],
                Coh = new int[locs],
                FwdTime = new int[locs],
                FwdView = new int[locs],
                FwdExclusive = new bool[locs],
                PendingFlush = Enumerable.Repeat(-1, lineCount).ToArray(),
            };
            Advance(th, t);
            s.Threads[t] = th;
        }
        return s;
    }

    /// <summary>The value of location <paramref name="loc"/> in the message at <paramref name="ts"/> (0: initial).</summary>
    public long ValueAt(ArmState s, int loc, int ts) => ts == 0 ? program.Locations[loc].Initial : s.Memory[ts - 1].Value;

    /// <summary>The newest timestamp not after <paramref name="view"/> that wrote <paramref name="loc"/> (0: the initial value).</summary>
    public static int LatestAtOrBefore(ArmState s, int loc, int view)
    {
        for (var ts = Math.Min(view, s.Memory.Length); ts >= 1; ts--)
        {
            if (s.Memory[ts - 1].Location == loc)
            {
                return ts;
            }
        }
        return 0;
    }

    /// <summary>The newest timestamp not after <paramref name="view"/> that wrote a location of <paramref name="line"/>.</summary>
    public int LatestLineAtOrBefore(ArmState s, int line, int view)
    {
        for (var ts = Math.Min(view, s.Memory.Length); ts >= 1; ts--)
        {
            if (program.Locations[s.Memory[ts - 1].Location].Line == line)
            {
                return ts;
            }
        }
        return 0;
    }

    public bool IsDone(ArmState s, int t) => s.Threads[t].Faulted || s.Threads[t].Pc >= program.Threads[t].Ops.Count;

    /// <summary>Every successor of <paramref name="s"/>: each thread's next instruction in each way it may execute,
    /// and each promise a thread may make, all certified.</summary>
    public List<ArmStep> Successors(ArmState s)
    {
        var result = new List<ArmStep>();
        for (var t = 0; t < s.Threads.Length; t++)
        {
            if (IsDone(s, t))
            {
                continue;
            }
            var steps = new List<ArmStep>();
            Step(s, t, null, steps);
            foreach (var st in steps)
            {
                if (Analyse(st.State, t).Certifiable)
                {
                    result.Add(st);
                }
            }
            foreach (var (loc, value) in Analyse(s, t).Candidates)
            {
                var next = s.WithThread(t, s.Threads[t].Clone());
                var ts = next.Append(new ArmMessage(loc, value, t));
                next.Threads[t].Promises.Add(ts);
                if (Analyse(next, t).Certifiable)
                {
                    result.Add(new ArmStep(t, $"P{t}: promise {program.Locations[loc].Name}={value} @{ts}", next));
                }
            }
        }
        return result;
    }

    /// <summary>Runs thread <paramref name="t"/> alone from <paramref name="s"/> (memory changes only by its own writes,
    /// no new promises): whether it can fulfil every promise, and which writes it could promise now.</summary>
    private SoloResult Analyse(ArmState s, int t)
    {
        var key = (t, SoloKey(s, t));
        if (soloCache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var solo = new Solo { BaseLength = s.Memory.Length };
        var certifiable = false;
        var seen = new HashSet<(ulong, ulong)>();
        var stack = new Stack<ArmState>();
        stack.Push(s);
        while (stack.Count > 0 && seen.Count < SoloLimit)
        {
            var cur = stack.Pop();
            if (!seen.Add(SoloKey(cur, t)))
            {
                continue;
            }
            if (cur.Threads[t].Promises.Count == 0)
            {
                certifiable = true;
            }
            if (IsDone(cur, t))
            {
                continue;
            }
            var steps = new List<ArmStep>();
            Step(cur, t, solo, steps);
            foreach (var st in steps)
            {
                stack.Push(st.State);
            }
        }
        var result = new SoloResult(certifiable, [.. solo.Candidates.OrderBy(c => c.Item1).ThenBy(c => c.Item2)]);
        soloCache[key] = result;
        return result;
    }

    private static (ulong, ulong) SoloKey(ArmState s, int t)
    {
        var h = new StateHasher();
        s.HashMemory(ref h);
        s.Threads[t].Hash(ref h);
        return h.Value;
    }

    private static long Mask(long v, int size) => size >= 8 ? v : v & ((1L << (8 * size)) - 1);

    private static (long Value, int View) Read(ArmThread th, int reg) => reg < 0 ? (0, 0) : (th.Regs[reg], th.RegViews[reg]);

    private static void Write(ArmThread th, int reg, long value, int view, int size)
    {
        if (reg >= 0)
        {
            th.Regs[reg] = Mask(value, size);
            th.RegViews[reg] = view;
        }
    }

    /// <summary>Resolves a memory operand: the location (-1 when the address is no location) and the address's view.</summary>
    private (int Location, int View) Address(ArmThread th, MemoryRef m)
    {
        if (m.Location >= 0)
        {
            return (m.Location, 0);
        }
        var (b, bv) = Read(th, m.BaseRegister);
        var address = unchecked((ulong)b + (ulong)m.Offset);
        var view = bv;
        if (m.IndexRegister >= 0)
        {
            var (x, xv) = Read(th, m.IndexRegister);
            x = m.Extend switch
            {
                IndexExtend.Uxtw => x & 0xFFFF_FFFFL,
                IndexExtend.Sxtw => (int)x,
                _ => x,
            };
            address = unchecked(address + ((ulong)x << m.Shift));
            view = Math.Max(view, xv);
        }
        return (locationOfAddress.TryGetValue(address, out var loc) ? loc : -1, view);
    }

    private static bool IsLocal(LitmusOpKind k) =>
        k is LitmusOpKind.Alu3 or LitmusOpKind.Alu or LitmusOpKind.Cmp or LitmusOpKind.Branch or LitmusOpKind.Nop or LitmusOpKind.Dmb or LitmusOpKind.Isb;

    /// <summary>Executes thread-local instructions (arithmetic, compares, branches, DMB, ISB) up to the next memory
    /// access, DSB or DC: their effect depends on the thread's own state only, so running them at once loses nothing.</summary>
    private void Advance(ArmThread th, int t)
    {
        var ops = program.Threads[t].Ops;
        var guard = 0;
        while (th.Pc < ops.Count && IsLocal(ops[th.Pc].Kind))
        {
            if (++guard > LocalLimit)
            {
                th.Faulted = true;
                return;
            }
            var op = ops[th.Pc];
            th.Pc++;
            var (src, srcView) = op.Source >= 0 ? Read(th, op.Source) : (op.Immediate, 0);
            switch (op.Kind)
            {
                case LitmusOpKind.Alu3:
                case LitmusOpKind.Alu:
                    {
                        var (left, leftView) = op.Kind == LitmusOpKind.Alu3 ? Read(th, op.Left) : Read(th, op.Dest);
                        var value = op.Alu switch
                        {
                            AluOp.Mov => src,
                            AluOp.Add => left + src,
                            AluOp.Sub => left - src,
                            AluOp.Xor => left ^ src,
                            AluOp.And => left & src,
                            _ => left | src,
                        };
                        var view = op.Alu == AluOp.Mov ? srcView : Math.Max(leftView, srcView);
                        Write(th, op.Dest, value, view, op.Size);
                        break;
                    }
                case LitmusOpKind.Cmp:
                    {
                        var (left, leftView) = Read(th, op.Dest);
                        th.FlagLeft = Mask(left, op.Size);
                        th.FlagRight = Mask(src, op.Size);
                        th.FlagSize = op.Size;
                        th.FlagView = Math.Max(leftView, srcView);
                        break;
                    }
                case LitmusOpKind.Branch:
                    {
                        if (op.Condition == BranchCondition.Always)
                        {
                            th.Pc = op.Target;
                            break;
                        }
                        bool taken;
                        if (op.Condition is BranchCondition.RegisterZero or BranchCondition.RegisterNonZero)
                        {
                            taken = (Mask(src, op.Size) == 0) == (op.Condition == BranchCondition.RegisterZero);
                            th.Vspec = Math.Max(th.Vspec, srcView);
                        }
                        else
                        {
                            taken = Holds(op.Condition, th.FlagLeft, th.FlagRight, th.FlagSize);
                            th.Vspec = Math.Max(th.Vspec, th.FlagView);
                        }
                        if (taken)
                        {
                            th.Pc = op.Target;
                        }
                        break;
                    }
                case LitmusOpKind.Dmb:
                    switch (op.Barrier)
                    {
                        case BarrierScope.Full:
                            th.Vdmb = Math.Max(th.Vdmb, Math.Max(th.Vrd, th.Vwr));
                            break;
                        case BarrierScope.Loads:
                            th.Vdmb = Math.Max(th.Vdmb, th.Vrd);
                            break;
                        default:
                            th.Vdmbst = Math.Max(th.Vdmbst, th.Vwr);
                            break;
                    }
                    break;
                case LitmusOpKind.Isb:
                    th.Vcse = Math.Max(th.Vcse, Math.Max(th.Vspec, th.Vdsb));
                    break;
            }
        }
    }

    /// <summary>The AArch64 condition codes over the NZCV flags of <c>CMP left, right</c> at <paramref name="size"/> bytes.</summary>
    public static bool Holds(BranchCondition c, long left, long right, int size)
    {
        var bits = size >= 8 ? 64 : 32;
        var l = Mask(left, size);
        var r = Mask(right, size);
        var diff = Mask(l - r, size);
        var n = ((ulong)diff >> (bits - 1) & 1) == 1;
        var z = diff == 0;
        var carry = (ulong)l >= (ulong)r;
        var sl = bits == 64 ? l : (int)l;
        var sr = bits == 64 ? r : (int)r;
        var sd = bits == 64 ? diff : (int)diff;
        var v = ((sl < 0) != (sr < 0)) && ((sd < 0) != (sl < 0));
        return c switch
        {
            BranchCondition.Equal => z,
            BranchCondition.NotEqual => !z,
            BranchCondition.CarrySet => carry,
            BranchCondition.CarryClear => !carry,
            BranchCondition.Minus => n,
            BranchCondition.Plus => !n,
            BranchCondition.Overflow => v,
            BranchCondition.NoOverflow => !v,
            BranchCondition.Higher => carry && !z,
            BranchCondition.LowerOrSame => !carry || z,
            BranchCondition.GreaterOrEqual => n == v,
            BranchCondition.Less => n != v,
            BranchCondition.Greater => !z && n == v,
            BranchCondition.LessOrEqual => z || n != v,
            _ => true,
        };
    }

    /// <summary>The ways thread <paramref name="t"/> may execute its next instruction (a memory access, DSB or DC),
    /// each followed by its thread-local instructions. With <paramref name="solo"/>, writes the thread could promise
    /// now are recorded, and the caller certifies.</summary>
    private void Step(ArmState s, int t, Solo? solo, List<ArmStep> into)
    {
        var th0 = s.Threads[t];
        var op = program.Threads[t].Ops[th0.Pc];
        switch (op.Kind)
        {
            case LitmusOpKind.Load:
            case LitmusOpKind.LoadExclusive:
                StepRead(s, t, op, into);
                break;
            case LitmusOpKind.Store:
            case LitmusOpKind.StoreExclusive:
                StepWrite(s, t, op, solo, into);
                break;
            case LitmusOpKind.Dsb:
                {
                    // A DSB completes before any later instruction executes: no later write may have been promised.
                    if (th0.Promises.Count > 0)
                    {
                        return;
                    }
                    var th = th0.Clone();
                    th.Pc++;
                    var bound = s.Bound;
                    switch (op.Barrier)
                    {
                        case BarrierScope.Full:
                            th.Vdsb = Math.Max(th.Vdsb, Math.Max(th.Vrd, th.Vwr));
                            break;
                        case BarrierScope.Loads:
                            th.Vdsb = Math.Max(th.Vdsb, th.Vrd);
                            break;
                        default:
                            th.Vdsb = Math.Max(th.Vdsb, th.Vwr);
                            break;
                    }
                    if (op.Barrier != BarrierScope.Loads && th.PendingFlush.Any(p => p >= 0))
                    {
                        bound = (int[])s.Bound.Clone();
                        for (var line = 0; line < th.PendingFlush.Length; line++)
                        {
                            if (th.PendingFlush[line] >= 0)
                            {
                                bound[line] = Math.Max(bound[line], th.PendingFlush[line]);
                                th.PendingFlush[line] = -1;
                            }
                        }
                    }
                    Advance(th, t);
                    var next = s.WithThread(t, th);
                    next.Bound = bound;
                    into.Add(new ArmStep(t, $"P{t}: {op.Text}", next));
                    break;
                }
            case LitmusOpKind.DataCache:
                StepCache(s, t, op, into);
                break;
            default:
                {
                    var th = th0.Clone();
                    th.Pc++;
                    Advance(th, t);
                    into.Add(new ArmStep(t, $"P{t}: {op.Text}", s.WithThread(t, th)));
                    break;
                }
        }
    }

    private void StepRead(ArmState s, int t, LitmusOp op, List<ArmStep> into)
    {
        var th0 = s.Threads[t];
        var (loc, vaddr) = Address(th0, op.Memory);
        if (loc < 0)
        {
            Fault(s, t, op, into);
            return;
        }
        var acquire = op.Order is AccessOrder.Acquire or AccessOrder.AcquirePc;
        var vpre = Max(vaddr, th0.Vdmb, th0.Vdsb, th0.Vcse, th0.Vacq, op.Order == AccessOrder.Acquire ? th0.Vrel : 0);
        // Readable: the newest write not after vpre, and every later write, as long as coherence allows.
        var candidates = new List<int> { LatestAtOrBefore(s, loc, vpre) };
        for (var ts = vpre + 1; ts <= s.Memory.Length; ts++)
        {
            if (s.Memory[ts - 1].Location == loc)
            {
                candidates.Add(ts);
            }
        }
        foreach (var tw in candidates)
        {
            if (tw < th0.Coh[loc])
            {
                continue;
            }
            var th = th0.Clone();
            th.Pc++;
            var forwarded = tw != 0 && th.FwdTime[loc] == tw && !(th.FwdExclusive[loc] && acquire);
            var vpost = Math.Max(vpre, forwarded ? th.FwdView[loc] : tw);
            var value = ValueAt(s, loc, tw);
            Write(th, op.Dest, value, vpost, op.Size);
            th.Coh[loc] = Math.Max(th.Coh[loc], tw);
            th.Vrd = Math.Max(th.Vrd, vpost);
            if (acquire)
            {
                th.Vacq = Math.Max(th.Vacq, vpost);
            }
            th.Vspec = Math.Max(th.Vspec, vaddr);
            if (op.Kind == LitmusOpKind.LoadExclusive)
            {
                th.ExclusiveLocation = loc;
                th.ExclusiveTime = tw;
            }
            Advance(th, t);
            into.Add(new ArmStep(t, $"P{t}: {op.Text}  reads {program.Locations[loc].Name}={Mask(value, op.Size)} @{tw}", s.WithThread(t, th)));
        }
    }

    private void StepWrite(ArmState s, int t, LitmusOp op, Solo? solo, List<ArmStep> into)
    {
        var th0 = s.Threads[t];
        var exclusive = op.Kind == LitmusOpKind.StoreExclusive;
        var (loc, vaddr) = Address(th0, op.Memory);
        if (loc < 0)
        {
            Fault(s, t, op, into);
            return;
        }
        var (data, vdata) = op.Source >= 0 ? Read(th0, op.Source) : (op.Immediate, 0);
        if (op.Source < 0 && op.Kind == LitmusOpKind.StoreExclusive)
        {
            (data, vdata) = (0, 0);
        }
        var value = Mask(data, op.Size);
        var vinputs = Math.Max(vaddr, vdata);
        var release = op.Order == AccessOrder.Release;
        var vpre = Max(vinputs, th0.Vspec, th0.Vdmbst, th0.Vdmb, th0.Vdsb, th0.Vcse, th0.Vacq, release ? Math.Max(th0.Vrd, th0.Vwr) : 0);
        if (exclusive)
        {
            // A store-exclusive may always fail (the monitor may be lost at any time).
            var failed = th0.Clone();
            failed.Pc++;
            failed.ExclusiveLocation = -1;
            failed.Vspec = Math.Max(failed.Vspec, vaddr);
            Write(failed, op.Dest, 1, vinputs, 4);
            Advance(failed, t);
            into.Add(new ArmStep(t, $"P{t}: {op.Text}  fails", s.WithThread(t, failed)));
            if (th0.ExclusiveLocation != loc)
            {
                return;
            }
        }
        // Fulfil an outstanding promise of the same write, or append a new message.
        var times = new List<int>();
        foreach (var p in th0.Promises)
        {
            var m = s.Memory[p - 1];
            if (m.Location == loc && m.Value == value && p > vpre && p > th0.Coh[loc])
            {
                times.Add(p);
            }
        }
        times.Add(s.Memory.Length + 1);
        foreach (var time in times)
        {
            var appended = time > s.Memory.Length;
            var next = s.WithThread(t, th0.Clone());
            if (appended)
            {
                next.Append(new ArmMessage(loc, value, t));
            }
            if (exclusive && !Atomic(next, t, loc, th0.ExclusiveTime, time))
            {
                continue;
            }
            if (appended && solo is not null && vpre <= solo.BaseLength && th0.Coh[loc] <= solo.BaseLength)
            {
                solo.Candidates.Add((loc, value));
            }
            var th = next.Threads[t];
            th.Pc++;
            th.Promises.Remove(time);
            th.Coh[loc] = time;
            th.Vwr = Math.Max(th.Vwr, time);
            if (release)
            {
                th.Vrel = Math.Max(th.Vrel, time);
            }
            th.Vspec = Math.Max(th.Vspec, vaddr);
            th.FwdTime[loc] = time;
            th.FwdView[loc] = vinputs;
            th.FwdExclusive[loc] = exclusive;
            if (exclusive)
            {
                th.ExclusiveLocation = -1;
                Write(th, op.Dest, 0, vinputs, 4);
            }
            Advance(th, t);
            var how = appended ? "" : " (fulfils promise)";
            into.Add(new ArmStep(t, $"P{t}: {op.Text}  writes {program.Locations[loc].Name}={value} @{time}{how}", next));
        }
    }

    /// <summary>No other thread wrote <paramref name="loc"/> strictly between the exclusive read and the write.</summary>
    private static bool Atomic(ArmState s, int t, int loc, int read, int write)
    {
        for (var ts = read + 1; ts < write; ts++)
        {
            var m = s.Memory[ts - 1];
            if (m.Location == loc && m.Thread != t)
            {
                return false;
            }
        }
        return true;
    }

    private void StepCache(ArmState s, int t, LitmusOp op, List<ArmStep> into)
    {
        var th0 = s.Threads[t];
        var (loc, vaddr) = Address(th0, op.Memory);
        if (loc < 0)
        {
            Fault(s, t, op, into);
            return;
        }
        var line = program.Locations[loc].Line;
        if (op.Cache == CacheOp.Zero)
        {
            // DC ZVA writes zeros to every location of the line, one message each, like a plain store without data.
            var next = s.WithThread(t, th0.Clone());
            var th = next.Threads[t];
            th.Pc++;
            foreach (var l in lineLocations[line])
            {
                var time = next.Append(new ArmMessage(l, 0, t));
                th.Coh[l] = time;
                th.Vwr = Math.Max(th.Vwr, time);
                th.FwdTime[l] = time;
                th.FwdView[l] = vaddr;
                th.FwdExclusive[l] = false;
            }
            th.Vspec = Math.Max(th.Vspec, vaddr);
            Advance(th, t);
            into.Add(new ArmStep(t, $"P{t}: {op.Text}  zeroes line {line}", next));
            return;
        }
        {
            // Clean: the maintenance is ordered after this thread's accesses to the line (its coherence view) and
            // after what barriers and acquires order it behind; it guarantees the newest line version up to there.
            var th = th0.Clone();
            th.Pc++;
            var view = Max(vaddr, th.Vdmb, th.Vdmbst, th.Vdsb, th.Vcse, th.Vacq);
            foreach (var l in lineLocations[line])
            {
                view = Math.Max(view, th.Coh[l]);
            }
            var covered = LatestLineAtOrBefore(s, line, view);
            th.PendingFlush[line] = Math.Max(th.PendingFlush[line], covered);
            Advance(th, t);
            into.Add(new ArmStep(t, $"P{t}: {op.Text}  covers line {line} up to @{covered}", s.WithThread(t, th)));
        }
    }

    private void Fault(ArmState s, int t, LitmusOp op, List<ArmStep> into)
    {
        var th = s.Threads[t].Clone();
        th.Faulted = true;
        into.Add(new ArmStep(t, $"P{t}: {op.Text}  faults: the address is no location of the test", s.WithThread(t, th)));
    }

    private static int Max(int a, int b, int c, int d, int e, int f, int g = 0, int h = 0) =>
        Math.Max(Math.Max(Math.Max(a, b), Math.Max(c, d)), Math.Max(Math.Max(e, f), Math.Max(g, h)));
}
