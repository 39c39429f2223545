namespace Coherence.Kernel.Boot;

/// <summary>
/// Kernel error numbers with their Linux values (include/uapi/asm-generic/errno-base.h, errno.h). A kernel function
/// that returns <c>-EINVAL</c> returns <see cref="EINVAL"/> in the model; <see cref="Ok"/> is a return of 0.
/// <see cref="Errnos.ToReturnValue"/> gives the negative int the C function would return.
/// </summary>
/// <remarks>The member names keep the kernel's spelling because that is what a reader searches for.</remarks>
public enum Errno
{
    /// <summary>Success (a return of 0).</summary>
    Ok = 0,

    /// <summary>Operation not permitted.</summary>
    EPERM = 1,

    /// <summary>No such file or directory (also: no such entry, unknown symbol).</summary>
    ENOENT = 2,

    /// <summary>Interrupted system call.</summary>
    EINTR = 4,

    /// <summary>I/O error.</summary>
    EIO = 5,

    /// <summary>No such device or address (cpu_cache_invalidate_memregion where unavailable).</summary>
    ENXIO = 6,

    /// <summary>Exec format error (a module exporting a duplicate symbol).</summary>
    ENOEXEC = 8,

    /// <summary>Try again; EWOULDBLOCK has the same value.</summary>
    EAGAIN = 11,

    /// <summary>Out of memory.</summary>
    ENOMEM = 12,

    /// <summary>Bad address.</summary>
    EFAULT = 14,

    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,

    /// <summary>File exists (notifier block registered twice, module already loaded).</summary>
    EEXIST = 17,

    /// <summary>No such device.</summary>
    ENODEV = 19,

    /// <summary>Invalid argument.</summary>
    EINVAL = 22,

    /// <summary>Function not implemented.</summary>
    ENOSYS = 38,

    /// <summary>Operation not supported on transport endpoint (kexec_load on TDX erratum platforms).</summary>
    EOPNOTSUPP = 95,

    /// <summary>Connection timed out.</summary>
    ETIMEDOUT = 110,

    /// <summary>Permission denied.</summary>
    EACCES = 13,

    /// <summary>Inappropriate ioctl for device.</summary>
    ENOTTY = 25,

    /// <summary>No space left on device.</summary>
    ENOSPC = 28,

    /// <summary>Result out of range.</summary>
    ERANGE = 34,

    /// <summary>Required key not available.</summary>
    ENOKEY = 126,

    /// <summary>Operation is not supported (kernel-internal 524, distinct from EOPNOTSUPP).</summary>
    ENOTSUPP = 524,
}

/// <summary>Conversions between <see cref="Errno"/> and the kernel's int return convention.</summary>
public static class Errnos
{
    /// <summary>EWOULDBLOCK is EAGAIN on Linux (delete_module of a module still in use).</summary>
    public const Errno EWOULDBLOCK = Errno.EAGAIN;

    /// <summary>The value the C function returns: 0 or <c>-errno</c>.</summary>
    public static int ToReturnValue(this Errno e) => -(int)e;

    /// <summary>The errno of a C return value (0 or negative); throws for a positive value.</summary>
    public static Errno FromReturnValue(int value) =>
        value <= 0 ? (Errno)(-value) : throw new ArgumentOutOfRangeException(nameof(value), $"return value {value} is not 0 or a negative errno");

    /// <summary>The kernel's spelling with sign as a C return ("-EINVAL", "0"); unknown numbers print as the number.</summary>
    public static string ToKernelString(this Errno e) =>
        e == Errno.Ok ? "0" : Enum.IsDefined(e) ? "-" + e.ToString() : (-(int)e).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
