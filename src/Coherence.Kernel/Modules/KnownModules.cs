namespace Coherence.Kernel.Modules;

/// <summary>The modules of the seeds, as built upstream.</summary>
public static class KnownModules
{
    /// <summary>The memregion symbols (exported in "DEVMEM").</summary>
    public static IReadOnlyList<string> MemregionSymbols { get; } = ["cpu_cache_has_invalidate_memregion", "cpu_cache_invalidate_memregion"];

    /// <summary>libnvdimm (drivers/nvdimm/region_devs.c imports DEVMEM).</summary>
    public static ModuleSpec Libnvdimm { get; } = new("libnvdimm", ModuleLicenses.GplV2, ["DEVMEM"], MemregionSymbols);

    /// <summary>cxl_core (drivers/cxl/core/region.c imports DEVMEM).</summary>
    public static ModuleSpec CxlCore { get; } = new("cxl_core", ModuleLicenses.GplV2, ["DEVMEM"], MemregionSymbols);

    /// <summary>nfit as in 6.2-rc, when acpi/nfit/intel.c called the API itself and imported DEVMEM.</summary>
    public static ModuleSpec Nfit62Rc { get; } = new("nfit", ModuleLicenses.GplV2, ["DEVMEM"], MemregionSymbols);
}
