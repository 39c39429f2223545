namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// A simulated clock (whole seconds, <c>jiffies / HZ</c>) with delayed work items (<c>queue_delayed_work</c>). Hardware
/// completions (an overwrite or sanitize finishing) are queued here too, so that one timeline orders them with the
/// kernel's polling. Items due at the same second run in the order they were queued. Nothing runs until the caller
/// advances time or calls <see cref="RunDue"/>.
/// </summary>
public sealed class DelayedWorkQueue
{
    private readonly List<Item> pending = [];
    private long sequence;

    /// <summary>Seconds since boot.</summary>
    public long Now { get; private set; }

    /// <summary>Names of the pending items in due order.</summary>
    public IReadOnlyList<string> Pending
    {
        get
        {
            Sort();
            var names = new List<string>(pending.Count);
            foreach (var p in pending)
            {
                names.Add(p.Name);
            }
            return names;
        }
    }

    /// <summary>
    /// <c>queue_delayed_work</c>: runs <paramref name="work"/> at <see cref="Now"/> + <paramref name="delaySeconds"/>.
    /// Returns false and queues nothing when an item of that name is already pending (the kernel's semantics).
    /// </summary>
    public bool Queue(string name, long delaySeconds, Action work)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delaySeconds);
        foreach (var p in pending)
        {
            if (p.Name == name)
            {
                return false;
            }
        }
        pending.Add(new Item(Now + delaySeconds, sequence++, name, work));
        return true;
    }

    /// <summary>When the pending item <paramref name="name"/> is due, or null.</summary>
    public long? DueTime(string name)
    {
        foreach (var p in pending)
        {
            if (p.Name == name)
            {
                return p.Due;
            }
        }
        return null;
    }

    /// <summary>Runs every item due now (including items queued by them with no delay). Returns how many ran.</summary>
    public int RunDue() => AdvanceTo(Now);

    /// <summary>Advances the clock by <paramref name="seconds"/>, running items as they fall due.</summary>
    public int Advance(long seconds) => AdvanceTo(Now + seconds);

    /// <summary>Advances the clock to <paramref name="time"/>, running each item at its due time, in order.</summary>
    public int AdvanceTo(long time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, Now);
        var ran = 0;
        while (true)
        {
            Sort();
            if (pending.Count == 0 || pending[0].Due > time)
            {
                break;
            }
            var item = pending[0];
            pending.RemoveAt(0);
            Now = item.Due;
            item.Work();
            ran++;
        }
        Now = time;
        return ran;
    }

    /// <summary>Runs items until none is pending (at most <paramref name="maxItems"/>); returns how many ran.</summary>
    public int RunUntilIdle(int maxItems = 100_000)
    {
        var ran = 0;
        while (pending.Count > 0 && ran < maxItems)
        {
            Sort();
            ran += AdvanceTo(pending[0].Due);
        }
        return ran;
    }

    private void Sort() => pending.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Sequence.CompareTo(b.Sequence));

    private readonly record struct Item(long Due, long Sequence, string Name, Action Work);
}
