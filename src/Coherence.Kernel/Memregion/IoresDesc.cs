namespace Coherence.Kernel.Memregion;

/// <summary>IORES_DESC_* values (include/linux/ioport.h), the <c>res_desc</c> argument of the v6.2 API.</summary>
public enum IoresDesc
{
    /// <summary>IORES_DESC_NONE.</summary>
    None = 0,

    /// <summary>IORES_DESC_CRASH_KERNEL.</summary>
    CrashKernel = 1,

    /// <summary>IORES_DESC_ACPI_TABLES.</summary>
    AcpiTables = 2,

    /// <summary>IORES_DESC_ACPI_NV_STORAGE.</summary>
    AcpiNvStorage = 3,

    /// <summary>IORES_DESC_PERSISTENT_MEMORY (what libnvdimm passed).</summary>
    PersistentMemory = 4,

    /// <summary>IORES_DESC_PERSISTENT_MEMORY_LEGACY.</summary>
    PersistentMemoryLegacy = 5,

    /// <summary>IORES_DESC_DEVICE_PRIVATE_MEMORY.</summary>
    DevicePrivateMemory = 6,

    /// <summary>IORES_DESC_RESERVED.</summary>
    Reserved = 7,

    /// <summary>IORES_DESC_SOFT_RESERVED.</summary>
    SoftReserved = 8,

    /// <summary>IORES_DESC_CXL (what cxl_core passed).</summary>
    Cxl = 9,
}
