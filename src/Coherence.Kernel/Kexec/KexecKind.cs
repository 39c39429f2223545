namespace Coherence.Kernel.Kexec;

/// <summary>Which kexec image: the normal one (<c>kexec -e</c>) or the crash kernel (kdump, on panic).</summary>
public enum KexecKind
{
    /// <summary>kexec_load() of a normal image, run by reboot(LINUX_REBOOT_CMD_KEXEC).</summary>
    Normal,

    /// <summary>kexec_load(KEXEC_ON_CRASH): the kdump kernel, run by __crash_kexec() on panic.</summary>
    Crash,
}
