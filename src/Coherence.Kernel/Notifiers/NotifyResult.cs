using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Notifiers;

/// <summary>
/// Notifier callback return values (include/linux/notifier.h) and the errno conversions. A callback returns an
/// int: these constants, or <see cref="FromErrno"/> of an error.
/// </summary>
public static class NotifyResult
{
    /// <summary>NOTIFY_DONE: don't care.</summary>
    public const int Done = 0x0000;

    /// <summary>NOTIFY_OK: suits me.</summary>
    public const int Ok = 0x0001;

    /// <summary>NOTIFY_STOP_MASK: don't call further.</summary>
    public const int StopMask = 0x8000;

    /// <summary>NOTIFY_BAD: bad/veto action (STOP_MASK | 0x0002).</summary>
    public const int Bad = StopMask | 0x0002;

    /// <summary>NOTIFY_STOP: clean way to return from the notifier and stop further calls (OK | STOP_MASK).</summary>
    public const int Stop = Ok | StopMask;

    /// <summary><c>notifier_from_errno(err)</c>: <c>err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK</c>, with
    /// err the negative C value of <paramref name="error"/>.</summary>
    public static int FromErrno(Errno error) => error == Errno.Ok ? Ok : StopMask | (Ok - error.ToReturnValue());

    /// <summary><c>notifier_to_errno(ret)</c>: clears STOP_MASK; <c>ret &gt; NOTIFY_OK ? NOTIFY_OK - ret : 0</c>.
    /// DONE, OK and STOP give 0; BAD gives -EPERM; <c>FromErrno(e)</c> gives back e.</summary>
    public static Errno ToErrno(int ret)
    {
        ret &= ~StopMask;
        return ret > Ok ? Errnos.FromReturnValue(Ok - ret) : Errno.Ok;
    }

    /// <summary>The kernel's name for a return value ("NOTIFY_STOP", or the hex value).</summary>
    public static string Name(int ret) => ret switch
    {
        Done => "NOTIFY_DONE",
        Ok => "NOTIFY_OK",
        Stop => "NOTIFY_STOP",
        Bad => "NOTIFY_BAD",
        StopMask => "NOTIFY_STOP_MASK",
        _ => $"0x{ret:x}",
    };
}
