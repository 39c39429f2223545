using Coherence.Kernel.Modules;

namespace Coherence.Kernel.Tests.Modules;

public class ModpostTests
{
    [Fact]
    public void Missing_import_is_an_error_without_dash_n()
    {
        var k = TestMachine.Boot();
        var spec = new ModuleSpec("cxl_core", "GPL", [], KnownModules.MemregionSymbols);
        var r = k.Modules.Modpost(spec);
        Assert.True(r.Failed);
        Assert.Equal(
        [
            new ModpostDiagnostic(true, "ERROR: modpost: module cxl_core uses symbol cpu_cache_has_invalidate_memregion from namespace DEVMEM, but does not import it."),
            new ModpostDiagnostic(true, "ERROR: modpost: module cxl_core uses symbol cpu_cache_invalidate_memregion from namespace DEVMEM, but does not import it."),
        ], r.Diagnostics);
        Assert.Equal(["DEVMEM"], r.MissingNamespaces);
    }

    [Fact]
    public void With_dash_n_it_is_a_warning()
    {
        var k = TestMachine.Boot();
        var r = k.Modules.Modpost(new ModuleSpec("m", "GPL", [], ["cpu_cache_invalidate_memregion"]), allowMissingNamespaceImports: true);
        Assert.False(r.Failed);
        Assert.Equal("WARNING: modpost: module m uses symbol cpu_cache_invalidate_memregion from namespace DEVMEM, but does not import it.", Assert.Single(r.Diagnostics).Text);
    }

    [Fact]
    public void Nsdeps_adds_the_missing_imports_and_then_the_build_passes()
    {
        var k = TestMachine.Boot();
        var fixedSpec = k.Modules.Nsdeps(new ModuleSpec("m", "GPL", ["CXL"], KnownModules.MemregionSymbols));
        Assert.Equal(["CXL", "DEVMEM"], fixedSpec.ImportNamespaces);
        Assert.Empty(k.Modules.Modpost(fixedSpec).Diagnostics);
        Assert.Same(KnownModules.Libnvdimm, k.Modules.Nsdeps(KnownModules.Libnvdimm));
    }

    [Fact]
    public void Undefined_and_gpl_only_errors()
    {
        var k = TestMachine.Boot();
        var r = k.Modules.Modpost(new ModuleSpec("blob", "Proprietary", ["DEVMEM"], ["nope", "cpu_cache_invalidate_memregion"]));
        Assert.Equal(
        [
            new ModpostDiagnostic(true, "ERROR: modpost: \"nope\" [blob.ko] undefined!"),
            new ModpostDiagnostic(true, "ERROR: modpost: GPL-incompatible module blob.ko uses GPL-only symbol 'cpu_cache_invalidate_memregion'"),
        ], r.Diagnostics);
    }

    [Fact]
    public void Known_importers_pass()
    {
        var k = TestMachine.Boot();
        Assert.Empty(k.Modules.Modpost(KnownModules.Libnvdimm).Diagnostics);
        Assert.Empty(k.Modules.Modpost(KnownModules.CxlCore).Diagnostics);
    }
}
