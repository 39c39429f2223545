using Coherence.Platform.State;

namespace Coherence.Checking.Litmus.Arm64;

/// <summary>A write in the global memory: timestamp = its position in the list, plus one (0 is the initial state).</summary>
/// <param name="Location">The location written.</param>
/// <param name="Value">The value written.</param>
/// <param name="Thread">The writing thread (-1 for none).</param>
internal readonly record struct ArmMessage(int Location, long Value, int Thread);

/// <summary>
/// One thread of the view-based (Promising-Arm) model: registers with the view (a timestamp) each value depends
/// on, the per-location coherence view, the barrier and acquire/release views, the forwarding bank, the exclusive
/// monitor, outstanding promises, the NZCV inputs of the last compare, and DC maintenance not yet completed by a DSB.
/// All views are timestamps into <see cref="ArmState.Memory"/>.
/// </summary>
internal sealed class ArmThread
{
    public int Pc;
    public long[] Regs = [];
    public int[] RegViews = [];
    public int[] Coh = [];

    /// <summary>Join of the post-views of executed reads (vrOld).</summary>
    public int Vrd;

    /// <summary>Join of the timestamps of executed writes (vwOld).</summary>
    public int Vwr;

    /// <summary>What DMB SY/LD impose on later reads and writes.</summary>
    public int Vdmb;

    /// <summary>What DMB ST imposes on later writes.</summary>
    public int Vdmbst;

    /// <summary>What DSB imposes on everything later.</summary>
    public int Vdsb;

    /// <summary>What ISB imposes on later reads and writes (context synchronisation).</summary>
    public int Vcse;

    /// <summary>Join of acquire reads' post-views (later accesses are ordered after them).</summary>
    public int Vacq;

    /// <summary>Join of release writes' timestamps (LDAR is ordered after them).</summary>
    public int Vrel;

    /// <summary>Views of addresses and branch conditions so far (vCAP): later writes cannot be speculated past them.</summary>
    public int Vspec;

    /// <summary>Per location: timestamp of this thread's last write (0: none), its address-and-data view, whether exclusive.</summary>
    public int[] FwdTime = [];
    public int[] FwdView = [];
    public bool[] FwdExclusive = [];

    /// <summary>The exclusive monitor: location (-1: closed) and the timestamp read.</summary>
    public int ExclusiveLocation = -1;
    public int ExclusiveTime;

    /// <summary>Outstanding promises (timestamps of messages this thread has put in memory but not yet executed), ascending.</summary>
    public List<int> Promises = [];

    /// <summary>Compare inputs for the condition flags, their width and view.</summary>
    public long FlagLeft;
    public long FlagRight;
    public int FlagSize = 8;
    public int FlagView;

    /// <summary>Per cache line: the newest timestamp a DC to that line guarantees once a DSB completes it (-1: none).</summary>
    public int[] PendingFlush = [];

    /// <summary>Set when the thread accessed an address that is no location, or spun without a memory access.</summary>
    public bool Faulted;

    public ArmThread Clone()
    {
        var c = (ArmThread)MemberwiseClone();
        c.Regs = (long[])Regs.Clone();
        c.RegViews = (int[])RegViews.Clone();
        c.Coh = (int[])Coh.Clone();
        c.FwdTime = (int[])FwdTime.Clone();
        c.FwdView = (int[])FwdView.Clone();
        c.FwdExclusive = (bool[])FwdExclusive.Clone();
        c.Promises = [.. Promises];
        c.PendingFlush = (int[])PendingFlush.Clone();
        return c;
    }

    public void Hash(ref StateHasher h)
    {
        h.Add((ulong)(uint)Pc | (Faulted ? 1UL << 40 : 0));
        for (var i = 0; i < Regs.Length; i++)
        {
            h.Add(Regs[i]);
            h.Add((long)RegViews[i]);
        }
        for (var i = 0; i < Coh.Length; i++)
        {
            h.Add((ulong)(uint)Coh[i] | ((ulong)(uint)FwdTime[i] << 32));
            h.Add((ulong)(uint)FwdView[i] | (FwdExclusive[i] ? 1UL << 40 : 0));
        }
        h.Add((ulong)(uint)Vrd | ((ulong)(uint)Vwr << 32));
        h.Add((ulong)(uint)Vdmb | ((ulong)(uint)Vdmbst << 32));
        h.Add((ulong)(uint)Vdsb | ((ulong)(uint)Vcse << 32));
        h.Add((ulong)(uint)Vacq | ((ulong)(uint)Vrel << 32));
        h.Add((ulong)(uint)Vspec | ((ulong)(uint)(ExclusiveLocation + 1) << 32));
        h.Add((long)ExclusiveTime);
        h.Add(FlagLeft);
        h.Add(FlagRight);
        h.Add((ulong)(uint)FlagSize | ((ulong)(uint)FlagView << 32));
        h.Add((ulong)Promises.Count);
        foreach (var p in Promises)
        {
            h.Add((long)p);
        }
        foreach (var f in PendingFlush)
        {
            h.Add((long)f);
        }
    }
}

/// <summary>
/// A state of the whole model: the memory (messages in propagation order; coherence order per location is their
/// order), the threads, and per cache line the timestamp of the oldest version a power failure may still leave.
/// Successor states share unchanged threads and copy what changes.
/// </summary>
internal sealed class ArmState
{
    public ArmMessage[] Memory = [];
    public ArmThread[] Threads = [];

    /// <summary>Per cache line: every line version older than this timestamp is gone from the persistent media's choices.</summary>
    public int[] Bound = [];

    public ArmState WithThread(int t, ArmThread thread)
    {
        var threads = (ArmThread[])Threads.Clone();
        threads[t] = thread;
        return new ArmState { Memory = Memory, Threads = threads, Bound = Bound };
    }

    public int Append(ArmMessage m)
    {
        var mem = new ArmMessage[Memory.Length + 1];
        Memory.CopyTo(mem, 0);
        mem[^1] = m;
        Memory = mem;
        return mem.Length;
    }

    public void HashMemory(ref StateHasher h)
    {
        h.Add((ulong)Memory.Length);
        foreach (var m in Memory)
        {
            h.Add((ulong)(uint)m.Location | ((ulong)(uint)(m.Thread + 1) << 32));
            h.Add(m.Value);
        }
    }

    public void Hash(ref StateHasher h)
    {
        HashMemory(ref h);
        foreach (var t in Threads)
        {
            t.Hash(ref h);
        }
        foreach (var b in Bound)
        {
            h.Add((long)b);
        }
    }
}
