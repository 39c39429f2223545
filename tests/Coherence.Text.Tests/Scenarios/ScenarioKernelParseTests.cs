using Coherence.Checking.Scenarios;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>The kernel statements of the scenario language: what they parse into, and one test per error message,
/// each checking line, column and text.</summary>
public class ScenarioKernelParseTests
{
    private const string File = "k.scn";

    private const string Platform = """
        platform sockets=1 cores=2
        device nmem0 nvdimm size=1GiB
        device cxl0 cxl size=256MiB
        device ram0 dram size=1GiB
        range pmem0 pmem 0x1_0000_0000 size=1GiB -> nmem0
        range window0 cxl-window 0x2_0000_0000 size=256MiB -> cxl0
        range dram0 ram 0x8000_0000 size=1GiB -> ram0
        keyring add ka "passphrase"
        cxl region0 create window0

        """;

    // Line numbers below count from the first line after the platform block.
    private const int First = 10;

    private static ScenarioSpec Parses(string body)
    {
        var result = ScenarioParser.Parse(Platform + body, File);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Select(d => $"{d.Location.Line}:{d.Location.Column}: {d.Message}")));
        return result.Spec!;
    }

    private static void Fails(string body, int line, int column, string message)
    {
        var result = ScenarioParser.Parse(Platform + body, File);
        Assert.False(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((File, First + line - 1, column, message), (d.Location.File, d.Location.Line, d.Location.Column, d.Message));
    }

    [Fact]
    public void Parses_every_kernel_statement()
    {
        var spec = Parses("""
            kernel boot
            kernel wait 30
            inv: invalidate-memregion cpu1
            invalidate-memregion cpu0 range pmem0+0x1000 4KiB
            nvdimm nmem0 passphrase "pw" locked
            u: nvdimm nmem0 unlock key=ka
            e: nvdimm nmem0 erase key=ka
            nvdimm nmem0 overwrite key=ka
            a: region pmem0 activate
            region pmem0 remove
            cxl region0 attach cxl0
            c: cxl region0 commit
            cxl region0 reset
            cxl region0 detach
            cxl cxl0 sanitize
            cxl cxl0 secure-erase
            m: module load mydrv license=GPL imports=DEVMEM uses=cpu_cache_invalidate_memregion uses=cpu_cache_has_invalidate_memregion
            expect errno e == -EBUSY
            """);
        Assert.Equal(new KeyringAddStep(null, new SourceSpan(File, 8, 1), "ka", "passphrase"), spec.Steps[0]);
        Assert.Equal(new CxlRegionStep(null, new SourceSpan(File, 9, 1), "region0", CxlRegionOp.Create, "window0"), spec.Steps[1]);
        Assert.IsType<KernelBootStep>(spec.Steps[2]);
        Assert.Equal(30UL, Assert.IsType<KernelWaitStep>(spec.Steps[3]).Seconds);
        Assert.Equal(new InvalidateMemregionStep("inv", new SourceSpan(File, 12, 6), 1, 0, ulong.MaxValue), spec.Steps[4]);
        var ranged = Assert.IsType<InvalidateMemregionStep>(spec.Steps[5]);
        Assert.Equal((0x1_0000_1000UL, 4096UL), (ranged.Start, ranged.Length));
        var provision = Assert.IsType<NvdimmStep>(spec.Steps[6]);
        Assert.Equal((NvdimmOp.Passphrase, "pw", true), (provision.Op, provision.Passphrase, provision.Locked));
        Assert.Equal((NvdimmOp.Unlock, "ka", "u"), (((NvdimmStep)spec.Steps[7]).Op, ((NvdimmStep)spec.Steps[7]).Key, spec.Steps[7].Label));
        Assert.Equal(NvdimmOp.Erase, ((NvdimmStep)spec.Steps[8]).Op);
        Assert.Equal(NvdimmOp.Overwrite, ((NvdimmStep)spec.Steps[9]).Op);
        Assert.True(((NdRegionStep)spec.Steps[10]).Activate);
        Assert.False(((NdRegionStep)spec.Steps[11]).Activate);
        Assert.Equal(
            [CxlRegionOp.Attach, CxlRegionOp.Commit, CxlRegionOp.Reset, CxlRegionOp.Detach],
            spec.Steps.Skip(12).Take(4).Select(s => ((CxlRegionStep)s).Op));
        Assert.False(((CxlMemdevStep)spec.Steps[16]).SecureErase);
        Assert.True(((CxlMemdevStep)spec.Steps[17]).SecureErase);
        var module = Assert.IsType<ModuleLoadStep>(spec.Steps[18]);
        Assert.Equal(("mydrv", "GPL"), (module.Name, module.License));
        Assert.Equal(["DEVMEM"], module.Imports);
        Assert.Equal(["cpu_cache_invalidate_memregion", "cpu_cache_has_invalidate_memregion"], module.Uses);
        Assert.Equal(new ErrnoExpect(new SourceSpan(File, First + 17, 14), "e", -16), spec.Expectations[0]);
    }

    [Fact]
    public void Reports_UnknownKernelOp() =>
        Fails("kernel reboot\n", 1, 8, "unknown kernel operation 'reboot': expected boot or wait");

    [Fact]
    public void Reports_UnknownKeyringOp() =>
        Fails("keyring remove ka\n", 1, 9, "unknown keyring operation 'remove': expected add");

    [Fact]
    public void Reports_PassphraseLength() =>
        Fails("keyring add kb \"\"\n", 1, 16, "a passphrase must be 1 to 32 bytes long");

    [Fact]
    public void Reports_UnknownKey() =>
        Fails("nvdimm nmem0 erase key=kz\n", 1, 24, "unknown key 'kz': add it with 'keyring add kz \"...\"' first");

    [Fact]
    public void Reports_KeyRequired() =>
        Fails("nvdimm nmem0 overwrite\n", 1, 23, "nvdimm overwrite needs key=NAME, found the end of the line");

    [Fact]
    public void Reports_NotKind() =>
        Fails("nvdimm cxl0 erase key=ka\n", 1, 8, "device 'cxl0' is not an nvdimm device");

    [Fact]
    public void Reports_UnknownNvdimmOp() =>
        Fails("nvdimm nmem0 freeze\n", 1, 14, "unknown nvdimm operation 'freeze': expected passphrase, unlock, erase or overwrite");

    [Fact]
    public void Reports_NotNvdimmRegion() =>
        Fails("region dram0 activate\n", 1, 8, "range 'dram0' is not a pmem range backed by an nvdimm device");

    [Fact]
    public void Reports_UnknownRegionOp() =>
        Fails("region pmem0 enable\n", 1, 14, "unknown region operation 'enable': expected activate or remove");

    [Fact]
    public void Reports_UnknownCxlMemdevOp() =>
        Fails("cxl cxl0 erase\n", 1, 10, "unknown CXL device operation 'erase': expected sanitize or secure-erase");

    [Fact]
    public void Reports_UnknownCxlRegion() =>
        Fails("cxl region7 commit\n", 1, 5, "unknown CXL region 'region7': create it with 'cxl region7 create WINDOW' first");

    [Fact]
    public void Reports_UnknownCxlRegionOp() =>
        Fails("cxl region0 destroy\n", 1, 13, "unknown CXL region operation 'destroy': expected create, attach, detach, commit or reset");

    [Fact]
    public void Reports_NotCxlWindow() =>
        Fails("cxl region1 create pmem0\n", 1, 20, "range 'pmem0' is not a cxl-window range");

    [Fact]
    public void Reports_UnknownModuleOp() =>
        Fails("module unload mydrv\n", 1, 8, "unknown module operation 'unload': expected load");

    [Fact]
    public void Reports_ModuleOptionValue() =>
        Fails("module load mydrv imports\n", 1, 19, "module option 'imports' needs a value: imports=VALUE");

    [Fact]
    public void Reports_an_unknown_module_option_with_the_known_ones() =>
        Fails("module load mydrv needs=DEVMEM\n", 1, 19, "unknown module option 'needs': expected one of license, imports, uses");

    [Fact]
    public void Reports_a_second_create_of_a_region() =>
        Fails("cxl region0 create window0\n", 1, 5, "CXL region 'region0' is already declared");

    [Fact]
    public void Reports_an_attach_of_a_non_cxl_device() =>
        Fails("cxl region0 attach nmem0\n", 1, 20, "device 'nmem0' is not a cxl device");

    [Fact]
    public void Reports_a_zero_invalidation_length() =>
        Fails("invalidate-memregion cpu0 range pmem0 0\n", 1, 39, "'0' is not a valid invalidation length: expected at least 1 byte");
}
