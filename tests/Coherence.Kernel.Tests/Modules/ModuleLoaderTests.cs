using Coherence.Kernel.Boot;
using Coherence.Kernel.Memregion;
using Coherence.Kernel.Modules;

namespace Coherence.Kernel.Tests.Modules;

public class ModuleLoaderTests
{
    private static KernelModel Boot(bool allowMissing = false, MemregionPolicy policy = MemregionPolicy.X86AllCpus) =>
        TestMachine.Boot(config: new KernelConfig { AllowMissingNamespaceImports = allowMissing, MemregionPolicy = policy });

    private static ModuleSpec Devmem(string name, string license = ModuleLicenses.GplV2, params string[] imports) =>
        new(name, license, imports, KnownModules.MemregionSymbols);

    [Fact]
    public void Vmlinux_exports_the_memregion_api_in_devmem_gpl_only()
    {
        var k = Boot();
        foreach (var s in KnownModules.MemregionSymbols)
        {
            var sym = k.Modules.FindSymbol(s)!;
            Assert.Equal(("DEVMEM", true, null, "kernel"), (sym.Namespace, sym.GplOnly, sym.Owner, sym.OwnerName));
        }
        Assert.Null(k.Modules.FindSymbol("cache_coherency_ops_instance_register"));
        var reg = Boot(policy: MemregionPolicy.Registry).Modules.FindSymbol("cache_coherency_ops_instance_register")!;
        Assert.Equal("CACHE_COHERENCY", reg.Namespace);
    }

    [Fact]
    public void Libnvdimm_and_cxl_core_load()
    {
        var k = Boot();
        foreach (var spec in new[] { KnownModules.Libnvdimm, KnownModules.CxlCore, KnownModules.Nfit62Rc })
        {
            var r = k.Modules.Load(spec);
            Assert.Equal(Errno.Ok, r.Result);
            Assert.True(r.Module!.UsingGplOnlySymbols);
        }
        Assert.Equal(3, k.Modules.Loaded.Count);
        Assert.Single(k.Log);
    }

    [Fact]
    public void Missing_import_is_einval_with_the_exact_messages()
    {
        var k = Boot();
        var r = k.Modules.Load(Devmem("rogue"));
        Assert.Equal(Errno.EINVAL, r.Result);
        Assert.Null(r.Module);
        Assert.Equal([("cpu_cache_has_invalidate_memregion", Errno.EINVAL), ("cpu_cache_invalidate_memregion", Errno.EINVAL)], r.UnresolvedSymbols);
        Assert.Equal(
        [
            new KernelLogEntry(KernelLogLevel.Err, "rogue: module uses symbol (cpu_cache_has_invalidate_memregion) from namespace DEVMEM, but does not import it."),
            new KernelLogEntry(KernelLogLevel.Warning, "rogue: Unknown symbol cpu_cache_has_invalidate_memregion (err -22)"),
            new KernelLogEntry(KernelLogLevel.Err, "rogue: module uses symbol (cpu_cache_invalidate_memregion) from namespace DEVMEM, but does not import it."),
            new KernelLogEntry(KernelLogLevel.Warning, "rogue: Unknown symbol cpu_cache_invalidate_memregion (err -22)"),
        ], k.Log.Skip(1));
        Assert.Null(k.Modules.Find("rogue"));
    }

    [Fact]
    public void Allow_missing_namespace_imports_makes_it_a_warning_and_loads()
    {
        var k = Boot(allowMissing: true);
        var r = k.Modules.Load(Devmem("rogue"));
        Assert.Equal(Errno.Ok, r.Result);
        Assert.Equal(2, k.Log.Count(e => e.Level == KernelLogLevel.Warning && e.Text.Contains("but does not import it.", StringComparison.Ordinal)));
        Assert.DoesNotContain(k.Log, e => e.Level == KernelLogLevel.Err);
    }

    [Fact]
    public void Importing_another_namespace_does_not_help()
    {
        var k = Boot();
        Assert.Equal(Errno.EINVAL, k.Modules.Load(Devmem("m", ModuleLicenses.Gpl, "CXL", "devmem")).Result);
    }

    [Fact]
    public void A_proprietary_module_cannot_see_gpl_only_symbols_even_with_the_import()
    {
        var k = Boot();
        var r = k.Modules.Load(Devmem("blob", ModuleLicenses.Proprietary, "DEVMEM"));
        Assert.Equal(Errno.ENOENT, r.Result);
        Assert.Equal(
        [
            new KernelLogEntry(KernelLogLevel.Warning, "blob: module license 'Proprietary' taints kernel."),
            new KernelLogEntry(KernelLogLevel.Warning, "blob: Unknown symbol cpu_cache_has_invalidate_memregion (err -2)"),
            new KernelLogEntry(KernelLogLevel.Warning, "blob: Unknown symbol cpu_cache_invalidate_memregion (err -2)"),
        ], k.Log.Skip(1));
        Assert.Equal("P", k.Taints);
    }

    [Fact]
    public void Unknown_symbol_is_enoent_and_the_load_returns_the_last_failure()
    {
        var k = Boot();
        var r = k.Modules.Load(new ModuleSpec("m", "GPL", [], ["no_such_symbol", "cpu_cache_invalidate_memregion"]));
        Assert.Equal(Errno.EINVAL, r.Result);
        Assert.Equal([("no_such_symbol", Errno.ENOENT), ("cpu_cache_invalidate_memregion", Errno.EINVAL)], r.UnresolvedSymbols);
        var r2 = k.Modules.Load(new ModuleSpec("m", "GPL", ["DEVMEM"], ["cpu_cache_invalidate_memregion", "no_such_symbol"]));
        Assert.Equal(Errno.ENOENT, r2.Result);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "m: Unknown symbol no_such_symbol (err -2)"), k.Log);
    }

    [Theory]
    [InlineData("GPL", true)]
    [InlineData("GPL v2", true)]
    [InlineData("GPL and additional rights", true)]
    [InlineData("Dual BSD/GPL", true)]
    [InlineData("Dual MIT/GPL", true)]
    [InlineData("Dual MPL/GPL", true)]
    [InlineData("Proprietary", false)]
    [InlineData("GPLv2", false)]
    [InlineData("", false)]
    public void License_compatibility_is_the_kernels_exact_list(string license, bool gpl) => Assert.Equal(gpl, ModuleLicenses.IsGplCompatible(license));

    [Fact]
    public void Loading_twice_is_eexist_and_unloading_in_use_is_ewouldblock()
    {
        var k = Boot();
        var provider = new ModuleSpec("provider", "GPL", [], []) { Exports = [new SymbolExport("provider_fn", "PROV")] };
        Assert.Equal(Errno.Ok, k.Modules.Load(provider).Result);
        Assert.Equal(Errno.EEXIST, k.Modules.Load(provider).Result);
        Assert.Equal(Errno.Ok, k.Modules.Load(new ModuleSpec("user", "GPL", ["PROV"], ["provider_fn"])).Result);
        Assert.Equal(["user"], k.Modules.Find("provider")!.UsedBy);
        Assert.Equal(Errnos.EWOULDBLOCK, k.Modules.Unload("provider"));
        Assert.Equal(Errno.Ok, k.Modules.Unload("user"));
        Assert.Equal(Errno.Ok, k.Modules.Unload("provider"));
        Assert.Null(k.Modules.FindSymbol("provider_fn"));
        Assert.Equal(Errno.ENOENT, k.Modules.Unload("provider"));
    }

    [Fact]
    public void A_failed_load_drops_the_references_it_took()
    {
        var k = Boot();
        k.Modules.Load(new ModuleSpec("provider", "GPL", [], []) { Exports = [new SymbolExport("provider_fn")] });
        var r = k.Modules.Load(new ModuleSpec("user", "GPL", [], ["provider_fn", "missing"]));
        Assert.Equal(Errno.ENOENT, r.Result);
        Assert.Empty(k.Modules.Find("provider")!.UsedBy);
        Assert.Equal(Errno.Ok, k.Modules.Unload("provider"));
    }

    [Fact]
    public void Exporting_a_duplicate_symbol_is_enoexec()
    {
        var k = Boot();
        var r = k.Modules.Load(new ModuleSpec("dup", "GPL", [], []) { Exports = [new SymbolExport("cpu_cache_invalidate_memregion")] });
        Assert.Equal(Errno.ENOEXEC, r.Result);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Err, "dup: exports duplicate symbol cpu_cache_invalidate_memregion (owned by kernel)"), k.Log);
    }

    [Fact]
    public void Version_mismatch_is_einval()
    {
        var k = Boot();
        k.Modules.ExportVmlinux("versioned_fn", "", gplOnly: false, crc: 0x1234);
        var ok = k.Modules.Load(new ModuleSpec("a", "GPL", [], ["versioned_fn"]) { Versions = new Dictionary<string, uint> { ["versioned_fn"] = 0x1234 } });
        Assert.Equal(Errno.Ok, ok.Result);
        var bad = k.Modules.Load(new ModuleSpec("b", "GPL", [], ["versioned_fn"]) { Versions = new Dictionary<string, uint> { ["versioned_fn"] = 0x9999 } });
        Assert.Equal(Errno.EINVAL, bad.Result);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "b: disagrees about version of symbol versioned_fn"), k.Log);
    }

    [Fact]
    public void Gpl_module_using_a_proprietary_modules_symbol_inherits_taint_unless_it_uses_gpl_only_symbols()
    {
        var k = Boot();
        k.Modules.Load(new ModuleSpec("blob", "Proprietary", [], []) { Exports = [new SymbolExport("blob_fn", GplOnly: false)] });
        var a = k.Modules.Load(new ModuleSpec("a", "GPL", [], ["blob_fn"]));
        Assert.Equal(Errno.Ok, a.Result);
        Assert.True(a.Module!.IsProprietary);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "a: module uses symbols blob_fn from proprietary module blob, inheriting taint."), k.Log);
        var b = k.Modules.Load(new ModuleSpec("b", "GPL", ["DEVMEM"], ["cpu_cache_invalidate_memregion", "blob_fn"]));
        Assert.Equal(Errno.ENOENT, b.Result);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Err, "b: module using GPL-only symbols uses symbols blob_fn from proprietary module blob."), k.Log);
    }

    [Fact]
    public void Symbol_get_skips_the_namespace_check_but_refuses_non_gpl_only_symbols()
    {
        var k = Boot();
        Assert.NotNull(k.Modules.SymbolGet("cpu_cache_invalidate_memregion"));
        Assert.Null(k.Modules.SymbolGet("nothing"));
        k.Modules.ExportVmlinux("plain_fn", "", gplOnly: false);
        Assert.Null(k.Modules.SymbolGet("plain_fn"));
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "failing symbol_get of non-GPLONLY symbol plain_fn."), k.Log);
        Assert.Empty(k.Warnings);
    }

    [Theory]
    [InlineData("module:kvm", "kvm", true)]
    [InlineData("module:kvm,kvm_intel", "kvm_intel", true)]
    [InlineData("module:kvm", "kvm_intel", false)]
    [InlineData("module:kvm*", "kvm_amd", true)]
    [InlineData("", "anything", true)]
    [InlineData("DEVMEM", "x", false)]
    public void Module_namespaces_are_imported_implicitly_by_the_named_modules(string ns, string module, bool imported) =>
        Assert.Equal(imported, ModuleLoader.NamespaceIsImported(ns, module, []));

    [Fact]
    public void Export_for_modules_loads_only_for_the_named_module()
    {
        var k = Boot();
        k.Modules.ExportVmlinux("kvm_only", "module:kvm");
        Assert.Equal(Errno.Ok, k.Modules.Load(new ModuleSpec("kvm", "GPL", [], ["kvm_only"])).Result);
        Assert.Equal(Errno.EINVAL, k.Modules.Load(new ModuleSpec("other", "GPL", [], ["kvm_only"])).Result);
    }
}
