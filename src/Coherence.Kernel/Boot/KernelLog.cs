namespace Coherence.Kernel.Boot;

/// <summary>The kernel log of the modelled drivers (<c>dev_*</c>, <c>pr_*</c>) in one boot: messages in the order they were printed. The caller inspects <see cref="Entries"/>.</summary>
public sealed class KernelLog
{
    private readonly List<KernelLogEntry> entries = [];
    private readonly HashSet<string> once = [];

    /// <summary>Every message so far, oldest first.</summary>
    public IReadOnlyList<KernelLogEntry> Entries => entries;

    /// <summary>Appends a message.</summary>
    public void Add(KernelLogLevel level, string device, string text, bool warnSplat = false) =>
        entries.Add(new KernelLogEntry(level, text, device, warnSplat));

    /// <summary>Appends a message only the first time this call site (<paramref name="key"/>) prints (<c>dev_*_once</c>, <c>WARN_ON_ONCE</c>).</summary>
    public void AddOnce(string key, KernelLogLevel level, string device, string text, bool warnSplat = false)
    {
        if (once.Add(key))
        {
            Add(level, device, text, warnSplat);
        }
    }

    /// <summary>True when a message of <paramref name="level"/> with exactly <paramref name="text"/> was printed.</summary>
    public bool Contains(KernelLogLevel level, string text)
    {
        foreach (var e in entries)
        {
            if (e.Level == level && e.Text == text)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Number of WARN splats printed.</summary>
    public int WarnCount
    {
        get
        {
            var n = 0;
            foreach (var e in entries)
            {
                if (e.IsWarnSplat)
                {
                    n++;
                }
            }
            return n;
        }
    }
}
