namespace Coherence.Kernel.Boot;

/// <summary>One line of the kernel log (dmesg) without its trailing newline.</summary>
/// <param name="Level">The printk level.</param>
/// <param name="Text">The message exactly as the kernel formats it.</param>
public readonly record struct KernelLogEntry(KernelLogLevel Level, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => $"<{(int)Level}>{Text}";
}
