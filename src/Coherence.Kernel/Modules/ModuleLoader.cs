using Coherence.Kernel.Boot;
using Coherence.Kernel.Memregion;
using Coherence.Platform;

namespace Coherence.Kernel.Modules;

/// <summary>
/// Module loading and symbol namespaces (kernel/module/main.c): the exported-symbol table, load-time resolution
/// (<c>simplify_symbols</c> → <c>resolve_symbol</c>: find_symbol, GPL-only bookkeeping, inherit_taint,
/// check_version, <c>verify_namespace_is_imported</c>, ref_module), <c>__symbol_get</c>, unloading, and the
/// build-time modpost check. vmlinux exports the memregion API in namespace "DEVMEM", and with the registry
/// back-end the lib/cache_maint.c symbols in "CACHE_COHERENCY".
/// </summary>
public sealed class ModuleLoader
{
    /// <summary>The namespace of the memregion API.</summary>
    public const string DevmemNamespace = "DEVMEM";

    /// <summary>The namespace of the generic back-end's registration API.</summary>
    public const string CacheCoherencyNamespace = "CACHE_COHERENCY";

    private readonly KernelModel kernel;
    private readonly Dictionary<string, KernelSymbol> symbols = new(StringComparer.Ordinal);
    private readonly List<KernelSymbol> symbolOrder = [];
    private readonly List<LoadedModule> modules = [];

    internal ModuleLoader(KernelModel kernel)
    {
        this.kernel = kernel;
        ExportVmlinux("cpu_cache_has_invalidate_memregion", DevmemNamespace, gplOnly: true);
        ExportVmlinux("cpu_cache_invalidate_memregion", DevmemNamespace, gplOnly: true);
        if (kernel.Config.MemregionPolicy == MemregionPolicy.Registry)
        {
            ExportVmlinux("_cache_coherency_ops_instance_alloc", CacheCoherencyNamespace, gplOnly: true);
            ExportVmlinux("cache_coherency_ops_instance_register", CacheCoherencyNamespace, gplOnly: true);
            ExportVmlinux("cache_coherency_ops_instance_unregister", CacheCoherencyNamespace, gplOnly: true);
            ExportVmlinux("cache_coherency_ops_instance_put", CacheCoherencyNamespace, gplOnly: true);
        }
    }

    /// <summary>Every exported symbol, in export order.</summary>
    public IReadOnlyList<KernelSymbol> Symbols => symbolOrder;

    /// <summary>The loaded modules, in load order.</summary>
    public IReadOnlyList<LoadedModule> Loaded => modules;

    /// <summary>The loaded module named <paramref name="name"/>, or null.</summary>
    public LoadedModule? Find(string name)
    {
        foreach (var m in modules)
        {
            if (m.Name == name)
            {
                return m;
            }
        }
        return null;
    }

    /// <summary>The exported symbol named <paramref name="name"/>, or null (no license filtering).</summary>
    public KernelSymbol? FindSymbol(string name) => symbols.GetValueOrDefault(name);

    /// <summary>Adds a vmlinux export (EXPORT_SYMBOL[_NS][_GPL] in built-in code); throws if the name is taken.</summary>
    public KernelSymbol ExportVmlinux(string name, string ns = "", bool gplOnly = true, uint? crc = null)
    {
        if (symbols.ContainsKey(name))
        {
            throw new ArgumentException($"symbol {name} is already exported");
        }
        var s = new KernelSymbol(name, ns, gplOnly, null, crc);
        symbols.Add(name, s);
        symbolOrder.Add(s);
        return s;
    }

    /// <summary>
    /// <c>finit_module</c>: loads <paramref name="spec"/>. -EEXIST if a module of that name is loaded. A license
    /// that is not GPL-compatible taints the module and the kernel (P) with "module license '%s' taints kernel.".
    /// Each used symbol is resolved in order; every failure prints "%s: Unknown symbol %s (err %d)" and the load
    /// fails with the last failure's error (-ENOENT when not found or refused, -EINVAL for a namespace or version
    /// problem). An export clashing with an existing symbol fails with -ENOEXEC.
    /// </summary>
    public ModuleLoadResult Load(ModuleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Find(spec.Name) is not null)
        {
            return new ModuleLoadResult(Errno.EEXIST, null, []);
        }
        var mod = new LoadedModule(spec, proprietary: !spec.IsGplCompatible);
        if (mod.IsProprietary)
        {
            if (!kernel.Taints.Contains('P', StringComparison.Ordinal))
            {
                kernel.PrWarn($"{spec.Name}: module license '{(spec.License.Length == 0 ? "unspecified" : spec.License)}' taints kernel.");
            }
            kernel.Taint('P');
        }
        var failures = new List<(string, Errno)>();
        var ret = Errno.Ok;
        foreach (var name in spec.UsedSymbols)
        {
            var err = ResolveSymbol(mod, name);
            if (err != Errno.Ok)
            {
                kernel.PrWarn($"{spec.Name}: Unknown symbol {name} (err {err.ToReturnValue()})");
                failures.Add((name, err));
                ret = err;
            }
        }
        if (ret != Errno.Ok)
        {
            DropReferences(mod);
            return new ModuleLoadResult(ret, null, failures);
        }
        foreach (var e in spec.Exports)
        {
            if (symbols.TryGetValue(e.Name, out var existing))
            {
                kernel.PrErr($"{spec.Name}: exports duplicate symbol {e.Name} (owned by {existing.OwnerName})");
                DropReferences(mod);
                return new ModuleLoadResult(Errno.ENOEXEC, null, failures);
            }
        }
        foreach (var e in spec.Exports)
        {
            var s = new KernelSymbol(e.Name, e.Namespace, e.GplOnly, spec.Name, e.Crc);
            symbols.Add(e.Name, s);
            symbolOrder.Add(s);
        }
        modules.Add(mod);
        kernel.AddEvent(KernelEventKind.Module, kernel.CurrentCpu, -1, $"load {spec.Name}", AccessOutcome.Ok);
        return new ModuleLoadResult(Errno.Ok, mod, failures);
    }

    /// <summary>
    /// <c>delete_module</c>: -ENOENT if not loaded, -EWOULDBLOCK (-EAGAIN) while another module uses it; otherwise
    /// removes it and its exports.
    /// </summary>
    public Errno Unload(string name)
    {
        var mod = Find(name);
        if (mod is null)
        {
            return Errno.ENOENT;
        }
        if (mod.UsedBySet.Count > 0)
        {
            return Errnos.EWOULDBLOCK;
        }
        DropReferences(mod);
        foreach (var e in mod.Spec.Exports)
        {
            if (symbols.TryGetValue(e.Name, out var s) && s.Owner == name)
            {
                symbols.Remove(e.Name);
                symbolOrder.Remove(s);
            }
        }
        modules.Remove(mod);
        kernel.AddEvent(KernelEventKind.Module, kernel.CurrentCpu, -1, $"unload {name}", AccessOutcome.Ok);
        return Errno.Ok;
    }

    /// <summary>
    /// <c>__symbol_get(name)</c> (symbol_get): looks the symbol up with GPL-only symbols allowed and does
    /// <b>no</b> namespace check. Since v6.5 a symbol that is not GPL-only is refused with "failing symbol_get of
    /// non-GPLONLY symbol %s.". Returns the symbol, or null.
    /// </summary>
    public KernelSymbol? SymbolGet(string name)
    {
        if (!symbols.TryGetValue(name, out var s))
        {
            return null;
        }
        if (!s.GplOnly)
        {
            kernel.PrWarn($"failing symbol_get of non-GPLONLY symbol {name}.");
            return null;
        }
        return s;
    }

    /// <summary>
    /// The build-time check (modpost <c>check_exports</c>) of <paramref name="spec"/> against the symbols exported
    /// now: an undefined symbol is ERROR "\"%s\" [%s.ko] undefined!"; a namespaced symbol without the import is
    /// ERROR "module %s uses symbol %s from namespace %s, but does not import it.", only a WARNING with
    /// <paramref name="allowMissingNamespaceImports"/> (modpost -N); a GPL-only symbol in a module that is not
    /// GPL-compatible is ERROR "GPL-incompatible module %s.ko uses GPL-only symbol '%s'". vmlinux is never checked.
    /// </summary>
    public ModpostResult Modpost(ModuleSpec spec, bool allowMissingNamespaceImports = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var diags = new List<ModpostDiagnostic>();
        var missing = new List<string>();
        foreach (var name in spec.UsedSymbols)
        {
            if (!symbols.TryGetValue(name, out var exp))
            {
                diags.Add(new ModpostDiagnostic(true, $"ERROR: modpost: \"{name}\" [{spec.Name}.ko] undefined!"));
                continue;
            }
            if (!ModpostContainsNamespace(spec, exp.Namespace))
            {
                var error = !allowMissingNamespaceImports;
                diags.Add(new ModpostDiagnostic(error, $"{(error ? "ERROR" : "WARNING")}: modpost: module {spec.Name} uses symbol {exp.Name} from namespace {exp.Namespace}, but does not import it."));
                if (!missing.Contains(exp.Namespace))
                {
                    missing.Add(exp.Namespace);
                }
            }
            if (!spec.IsGplCompatible && exp.GplOnly)
            {
                diags.Add(new ModpostDiagnostic(true, $"ERROR: modpost: GPL-incompatible module {spec.Name}.ko uses GPL-only symbol '{exp.Name}'"));
            }
        }
        return new ModpostResult(diags, missing);
    }

    /// <summary><c>make nsdeps</c>: the spec with every missing namespace import added.</summary>
    public ModuleSpec Nsdeps(ModuleSpec spec)
    {
        var missing = Modpost(spec, allowMissingNamespaceImports: true).MissingNamespaces;
        if (missing.Count == 0)
        {
            return spec;
        }
        var imports = new List<string>(spec.ImportNamespaces);
        imports.AddRange(missing);
        return spec with { ImportNamespaces = imports };
    }

    /// <summary>
    /// True when <paramref name="ns"/> is empty, is imported by <paramref name="moduleName"/>'s import list, or is a
    /// "module:" namespace naming it (EXPORT_SYMBOL_FOR_MODULES; an entry ending in '*' matches a name prefix).
    /// </summary>
    public static bool NamespaceIsImported(string ns, string moduleName, IReadOnlyList<string> imports)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(imports);
        if (ns.Length == 0 || VerifyModuleNamespace(ns, moduleName))
        {
            return true;
        }
        foreach (var i in imports)
        {
            if (string.Equals(i, ns, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool ModpostContainsNamespace(ModuleSpec spec, string ns) => NamespaceIsImported(ns, spec.Name, spec.ImportNamespaces);

    private static bool VerifyModuleNamespace(string ns, string moduleName)
    {
        const string Prefix = "module:";
        if (!ns.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var item in ns[Prefix.Length..].Split(','))
        {
            if (item.EndsWith('*') ? moduleName.StartsWith(item[..^1], StringComparison.Ordinal) : item == moduleName)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>resolve_symbol</c> for one undefined symbol of <paramref name="mod"/>; Ok or the error.</summary>
    private Errno ResolveSymbol(LoadedModule mod, string name)
    {
        // 1. find_symbol: gplok = !(mod->taints & TAINT_PROPRIETARY_MODULE).
        if (!symbols.TryGetValue(name, out var sym) || (sym.GplOnly && mod.IsProprietary))
        {
            return Errno.ENOENT;
        }
        // 2. Record GPL-only use.
        if (sym.GplOnly)
        {
            mod.UsingGplOnlySymbols = true;
        }
        // 3. inherit_taint.
        var owner = sym.Owner is null ? null : Find(sym.Owner);
        if (owner is not null && owner.IsProprietary)
        {
            if (mod.UsingGplOnlySymbols)
            {
                kernel.PrErr($"{mod.Name}: module using GPL-only symbols uses symbols {name} from proprietary module {owner.Name}.");
                return Errno.ENOENT;
            }
            if (!mod.IsProprietary)
            {
                kernel.PrWarn($"{mod.Name}: module uses symbols {name} from proprietary module {owner.Name}, inheriting taint.");
                mod.IsProprietary = true;
            }
        }
        // 4. check_version.
        if (sym.Crc is { } crc && mod.Spec.Versions.TryGetValue(name, out var expected) && expected != crc)
        {
            kernel.PrWarn($"{mod.Name}: disagrees about version of symbol {name}");
            return Errno.EINVAL;
        }
        // 5. verify_namespace_is_imported.
        if (!NamespaceIsImported(sym.Namespace, mod.Name, mod.Spec.ImportNamespaces))
        {
            var text = $"{mod.Name}: module uses symbol ({name}) from namespace {sym.Namespace}, but does not import it.";
            if (kernel.Config.AllowMissingNamespaceImports)
            {
                kernel.PrWarn(text);
            }
            else
            {
                kernel.PrErr(text);
                return Errno.EINVAL;
            }
        }
        // 6. ref_module.
        if (owner is not null && owner != mod)
        {
            mod.UsesSet.Add(owner.Name);
            owner.UsedBySet.Add(mod.Name);
        }
        return Errno.Ok;
    }

    private void DropReferences(LoadedModule mod)
    {
        foreach (var o in mod.UsesSet)
        {
            Find(o)?.UsedBySet.Remove(mod.Name);
        }
        mod.UsesSet.Clear();
    }
}
