namespace Coherence.Kernel.Boot;

/// <summary>One line of the kernel log (dmesg) without its trailing newline: printk level, the device that printed it (or empty) and the text.</summary>
/// <param name="Level">The printk level.</param>
/// <param name="Text">The message exactly as the kernel formats it (for <c>dev_*</c> messages, without the device prefix).</param>
/// <param name="Device">The device that logged it (<c>dev_name</c>), or empty for <c>pr_*</c> and <c>printk</c>.</param>
/// <param name="IsWarnSplat">True for <c>WARN</c>/<c>dev_WARN</c>: a warning with a backtrace and taint.</param>
public readonly record struct KernelLogEntry(KernelLogLevel Level, string Text, string Device = "", bool IsWarnSplat = false)
{
    /// <summary>The line as the log stores it: <c>&lt;N&gt;text</c>, or <c>&lt;N&gt;device: text</c> for a message with a device.</summary>
    /// <returns>The level number in angle brackets followed by the message.</returns>
    public override string ToString() => Device.Length == 0 ? $"<{(int)Level}>{Text}" : $"<{(int)Level}>{Device}: {Text}";
}
