namespace Coherence.Kernel.Boot;

/// <summary>printk log levels with the kernel's numbers (KERN_EMERG "0" ... KERN_DEBUG "7").</summary>
public enum KernelLogLevel
{
    /// <summary>KERN_EMERG (pr_emerg).</summary>
    Emerg = 0,

    /// <summary>KERN_ALERT (pr_alert).</summary>
    Alert = 1,

    /// <summary>KERN_CRIT (pr_crit).</summary>
    Crit = 2,

    /// <summary>KERN_ERR (pr_err).</summary>
    Err = 3,

    /// <summary>KERN_WARNING (pr_warn, and the WARN() banner).</summary>
    Warning = 4,

    /// <summary>KERN_NOTICE (pr_notice).</summary>
    Notice = 5,

    /// <summary>KERN_INFO (pr_info).</summary>
    Info = 6,

    /// <summary>KERN_DEBUG (pr_debug).</summary>
    Debug = 7,
}
