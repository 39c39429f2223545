namespace Coherence.Kernel.Modules;

/// <summary>
/// A module as built: its name, <c>MODULE_LICENSE</c>, <c>MODULE_IMPORT_NS</c> tags (modinfo <c>import_ns=</c>),
/// the undefined symbols it uses in the order of its symbol table, the symbols it exports, and the CRCs its
/// <c>__versions</c> table expects.
/// </summary>
public sealed record ModuleSpec
{
    /// <summary>Creates a module description.</summary>
    public ModuleSpec(string name, string license, IReadOnlyList<string> importNamespaces, IReadOnlyList<string> usedSymbols)
    {
        Name = name;
        License = license;
        ImportNamespaces = importNamespaces;
        UsedSymbols = usedSymbols;
    }

    /// <summary>The module name (underscores, no .ko).</summary>
    public string Name { get; init; }

    /// <summary>The MODULE_LICENSE string ("GPL", "GPL v2", "Dual BSD/GPL", "Proprietary"...).</summary>
    public string License { get; init; }

    /// <summary>The namespaces named by MODULE_IMPORT_NS.</summary>
    public IReadOnlyList<string> ImportNamespaces { get; init; }

    /// <summary>The undefined symbols, in symbol-table order.</summary>
    public IReadOnlyList<string> UsedSymbols { get; init; }

    /// <summary>The symbols the module exports.</summary>
    public IReadOnlyList<SymbolExport> Exports { get; init; } = [];

    /// <summary>CRCs the module was built against (symbol → CRC); a symbol absent here is not checked.</summary>
    public IReadOnlyDictionary<string, uint> Versions { get; init; } = new Dictionary<string, uint>();

    /// <summary><c>license_is_gpl_compatible()</c> of <see cref="License"/>.</summary>
    public bool IsGplCompatible => ModuleLicenses.IsGplCompatible(License);
}

/// <summary>The kernel's license strings (include/linux/license.h).</summary>
public static class ModuleLicenses
{
    /// <summary>"GPL".</summary>
    public const string Gpl = "GPL";

    /// <summary>"GPL v2".</summary>
    public const string GplV2 = "GPL v2";

    /// <summary>"Proprietary" (any string not in the compatible list taints the same way).</summary>
    public const string Proprietary = "Proprietary";

    /// <summary>license_is_gpl_compatible(): the exact strings the kernel accepts.</summary>
    public static bool IsGplCompatible(string license) => license is "GPL" or "GPL v2" or "GPL and additional rights"
        or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";
}
