namespace Coherence.Kernel.Nvdimm;

/// <summary>Kernel log levels used by the modelled drivers (<c>dev_err</c>, <c>dev_warn</c>, <c>dev_info</c>, <c>dev_dbg</c>).</summary>
public enum KernelLogLevel
{
    /// <summary>KERN_ERR (<c>dev_err</c>, <c>pr_err</c>).</summary>
    Error,

    /// <summary>KERN_WARNING (<c>dev_warn</c>, and the text of a <c>WARN</c>/<c>dev_WARN</c> splat, see <see cref="KernelLogEntry.IsWarnSplat"/>).</summary>
    Warning,

    /// <summary>KERN_INFO (<c>dev_info</c>).</summary>
    Info,

    /// <summary>KERN_DEBUG (<c>dev_dbg</c>; recorded always, as if dynamic debug were on).</summary>
    Debug,
}

/// <summary>One kernel log message: level, device name (or empty) and the text without the trailing newline.</summary>
/// <param name="Level">The level.</param>
/// <param name="Device">The device that logged it (<c>dev_name</c>), or empty for <c>pr_*</c>.</param>
/// <param name="Text">The message, with the kernel's wording where the source gives it.</param>
/// <param name="IsWarnSplat">True for <c>WARN</c>/<c>dev_WARN</c>: a warning with a backtrace and taint.</param>
public readonly record struct KernelLogEntry(KernelLogLevel Level, string Device, string Text, bool IsWarnSplat = false)
{
    /// <inheritdoc/>
    public override string ToString() => Device.Length == 0 ? $"<{Level}> {Text}" : $"<{Level}> {Device}: {Text}";
}

/// <summary>The kernel log of one boot: messages in the order they were printed. The caller inspects <see cref="Entries"/>.</summary>
public sealed class KernelLog
{
    private readonly List<KernelLogEntry> entries = [];
    private readonly HashSet<string> once = [];

    /// <summary>Every message so far, oldest first.</summary>
    public IReadOnlyList<KernelLogEntry> Entries => entries;

    /// <summary>Appends a message.</summary>
    public void Add(KernelLogLevel level, string device, string text, bool warnSplat = false) =>
        entries.Add(new KernelLogEntry(level, device, text, warnSplat));

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
