namespace Coherence.Kernel.Modules;

/// <summary>A module in the kernel: its spec, its taint, and the modules it uses and that use it.</summary>
public sealed class LoadedModule
{
    private readonly HashSet<string> uses = [];
    private readonly HashSet<string> usedBy = [];

    internal LoadedModule(ModuleSpec spec, bool proprietary)
    {
        Spec = spec;
        IsProprietary = proprietary;
    }

    /// <summary>How the module was built.</summary>
    public ModuleSpec Spec { get; }

    /// <summary>The module's name.</summary>
    public string Name => Spec.Name;

    /// <summary>TAINT_PROPRIETARY_MODULE is set on the module (its own license, or inherited).</summary>
    public bool IsProprietary { get; internal set; }

    /// <summary>The module resolved at least one GPL-only symbol.</summary>
    public bool UsingGplOnlySymbols { get; internal set; }

    /// <summary>Modules this one references (ref_module), by name.</summary>
    public IReadOnlyCollection<string> Uses => uses;

    /// <summary>Modules that reference this one, by name; unloading fails while any do.</summary>
    public IReadOnlyCollection<string> UsedBy => usedBy;

    internal HashSet<string> UsesSet => uses;

    internal HashSet<string> UsedBySet => usedBy;
}
