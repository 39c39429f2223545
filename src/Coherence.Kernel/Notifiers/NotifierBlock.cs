namespace Coherence.Kernel.Notifiers;

/// <summary>A notifier callback (<c>notifier_fn_t</c>): returns a <see cref="NotifyResult"/> value.</summary>
public delegate int NotifierCallback(NotifierBlock block, ulong action, object? data);

/// <summary>
/// <c>struct notifier_block</c>: a callback, a priority (higher runs first) and the <c>next</c> link. As in the
/// kernel the link lives in the block, so a block is on at most one chain at a time (the model refuses to put it
/// on a second one, which in the kernel would corrupt both lists). The priority cannot change after creation.
/// </summary>
public sealed class NotifierBlock
{
    /// <summary>Creates a block.</summary>
    /// <param name="name">The name %ps would print for the callback.</param>
    /// <param name="callback">The callback.</param>
    /// <param name="priority">Higher priorities are called first.</param>
    /// <param name="maySleep">True when the callback may sleep (calls might_sleep): a bug in atomic context.</param>
    public NotifierBlock(string name, NotifierCallback callback, int priority = 0, bool maySleep = false)
    {
        Name = name;
        Callback = callback;
        Priority = priority;
        MaySleep = maySleep;
    }

    /// <summary>The callback's symbol name.</summary>
    public string Name { get; }

    /// <summary><c>notifier_call</c>.</summary>
    public NotifierCallback Callback { get; }

    /// <summary><c>priority</c>.</summary>
    public int Priority { get; }

    /// <summary>The callback may sleep.</summary>
    public bool MaySleep { get; }

    /// <summary><c>next</c>: left unchanged by unregister, as in the kernel.</summary>
    internal NotifierBlock? NextLink;

    internal NotifierBlock? Next
    {
        get => NextLink;
        set => NextLink = value;
    }

    /// <summary>The chain the block is registered on, or null.</summary>
    public NotifierChain? Chain { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (priority {Priority})";
}
