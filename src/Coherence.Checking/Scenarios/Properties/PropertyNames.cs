namespace Coherence.Checking.Scenarios.Properties;

/// <summary>The built-in properties, by their stable names (used in scenario files, reports and JSON).</summary>
public static class PropertyNames
{
    /// <summary>No read returns a byte older than the last device-side change of its memory (erase, re-pointing, DMA).</summary>
    public const string NoStaleRead = "no-stale-read";

    /// <summary>No read by a tenant returns a byte another tenant wrote.</summary>
    public const string NoCrossTenantLeak = "no-cross-tenant-leak";

    /// <summary>No write-back puts bytes written before a device-side change onto the changed media.</summary>
    public const string NoResurrection = "no-resurrection";

    /// <summary>No CPU consumes poison.</summary>
    public const string NoMachineCheck = "no-machine-check";

    /// <summary>What a durability point promised is in the persistence domain, and survives a later power failure.</summary>
    public const string Durability = "durability";

    /// <summary>The kernel model raised no warning (WARN_ON_ONCE and friends).</summary>
    public const string KernelWarning = "kernel-warning";

    /// <summary>All built-in properties.</summary>
    public static IReadOnlyList<string> All { get; } = [NoStaleRead, NoCrossTenantLeak, NoResurrection, NoMachineCheck, Durability, KernelWarning];
}
