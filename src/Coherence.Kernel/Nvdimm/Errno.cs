namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// Linux errno values (positive, as in <c>include/uapi/asm-generic/errno-base.h</c>). Kernel functions return the
/// negated value; the model returns the enum and <see cref="Ok"/> for success. Shared by the NVDIMM and CXL code of
/// this branch (to be unified with the other kernel facilities at merge).
/// </summary>
public enum Errno
{
    /// <summary>Success (the kernel's 0).</summary>
    Ok = 0,

    /// <summary>Operation not permitted.</summary>
    EPERM = 1,

    /// <summary>No such file or directory (a sysfs attribute that is not visible).</summary>
    ENOENT = 2,

    /// <summary>I/O error.</summary>
    EIO = 5,

    /// <summary>No such device or address.</summary>
    ENXIO = 6,

    /// <summary>Out of memory.</summary>
    ENOMEM = 12,

    /// <summary>Permission denied (writing a read-only sysfs attribute).</summary>
    EACCES = 13,

    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,

    /// <summary>No such device.</summary>
    ENODEV = 19,

    /// <summary>Invalid argument.</summary>
    EINVAL = 22,

    /// <summary>Inappropriate ioctl for device (a DSM command missing from the mask).</summary>
    ENOTTY = 25,

    /// <summary>No space left (no free HPA in a CXL window).</summary>
    ENOSPC = 28,

    /// <summary>Result out of range (kstrtouint overflow).</summary>
    ERANGE = 34,

    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,

    /// <summary>Connection timed out (a decoder that never reports committed).</summary>
    ETIMEDOUT = 110,

    /// <summary>Required key not available.</summary>
    ENOKEY = 126,

    /// <summary>The kernel-internal "operation is not supported" (<c>include/linux/errno.h</c>); not a uapi value.</summary>
    ENOTSUPP = 524,
}
