using Coherence.Checking.Scenarios;
using Coherence.Checking.Strategies;
using Coherence.Kernel.Kexec;
using Coherence.Kernel.Tdx;
using Coherence.Platform.Tdx;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>The tdx and kexec statements: parsing, errors, and each TDX example's verdicts under each policy.</summary>
public class TdxScenarioTests
{
    private const string Header = """
        scenario "t"
        platform sockets=1 cores=2 tdx=sapphire-rapids
        device dram0 dram size=16MiB
        range ram0 ram 0x1_0000_0000 size=16MiB -> dram0

        """;

    private static string Error(string text)
    {
        var r = ScenarioParser.Parse(text, "t.scn");
        Assert.False(r.Succeeded);
        return string.Join("\n", r.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Tdx_and_kexec_statements_parse_into_steps()
    {
        var r = ScenarioParser.Parse(Header + """
            tdx init fail=init-tdmrs cpu1
            tdx create td0 cpu1
            tdx add td0 ram0+0x10000 size=8KiB
            tdx write td0 ram0+0x10000 "x"
            tdx remove td0 ram0+0x10000 size=4KiB
            tdx reset-fails after=2
            kexec load crash
            k: kexec crash cpu0
            kexec exec cpu1
            """, "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics.Select(d => d.Message)));
        var s = r.Spec!.Steps;
        Assert.Equal((1, TdxInitFault.InitTdmrs), (Assert.IsType<TdxInitStep>(s[0]).Cpu, ((TdxInitStep)s[0]).Fault));
        Assert.Equal(("td0", 1), (Assert.IsType<TdxCreateStep>(s[1]).Td, ((TdxCreateStep)s[1]).Cpu));
        var add = Assert.IsType<TdxPagesStep>(s[2]);
        Assert.Equal((true, 0x1_0001_0000UL, 0x2000UL), (add.Add, add.Address, add.Size));
        Assert.False(Assert.IsType<TdxPagesStep>(s[4]).Add);
        Assert.Equal(2, Assert.IsType<TdxResetFailsStep>(s[5]).After);
        Assert.Equal(KexecKind.Crash, Assert.IsType<KexecLoadStep>(s[6]).Kind);
        var run = Assert.IsType<KexecRunStep>(s[7]);
        Assert.Equal(("k", KexecKind.Crash, 0), (run.Label, run.Kind, run.Cpu));
        Assert.Equal(KexecKind.Normal, Assert.IsType<KexecRunStep>(s[8]).Kind);
        Assert.Equal(TdxCpuModel.SapphireRapids, r.Spec.Platform.Tdx!.Model);
        Assert.True(r.Spec.Platform.Tdx.PartialWriteErratum);
    }

    [Fact]
    public void The_erratum_can_be_switched_off_on_an_erratum_model()
    {
        var r = ScenarioParser.Parse("scenario \"t\"\nplatform tdx=emerald-rapids tdx-erratum=off\ndevice dram0 dram size=4KiB\nrange ram0 ram 0x1000 size=4KiB -> dram0\ncpu0 read ram0 1\n", "t.scn");
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics));
        Assert.False(r.Spec!.Platform.Tdx!.PartialWriteErratum);
    }

    [Theory]
    [InlineData("scenario \"t\"\ntdx init\n", "t.scn:2:1: tdx operations need a TDX platform")]
    [InlineData("scenario \"t\"\nplatform tdx=skylake\n", "t.scn:2:14: 'skylake' is not a valid TDX CPU model")]
    [InlineData("scenario \"t\"\nplatform tdx-erratum=on\n", "t.scn:2:10: tdx-erratum= needs a TDX platform")]
    [InlineData(Header + "tdx add td9 ram0 size=4KiB\n", "t.scn:5:9: unknown TD 'td9'")]
    [InlineData(Header + "tdx create td0 cpu1\ntdx add td0 ram0 size=100\n", "t.scn:6:23: '100' is not a valid TD page range")]
    [InlineData(Header + "tdx create td0 cpu1\ntdx create td0 cpu1\n", "t.scn:6:12: TD 'td0' is already declared")]
    [InlineData(Header + "tdx frobnicate\n", "t.scn:5:5: 'frobnicate' is not a valid tdx operation")]
    [InlineData(Header + "tdx init fail=sometimes\n", "t.scn:5:15: 'sometimes' is not a valid TDX init failure")]
    [InlineData(Header + "kexec reboot\n", "t.scn:5:7: 'reboot' is not a valid kexec operation")]
    [InlineData(Header + "tdx reset-fails\n", "t.scn:5:16: expected after=N")]
    public void Bad_tdx_statements_name_the_place_and_what_was_expected(string text, string expected) =>
        Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    private static string Example(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/kernel", name));

    private static ScenarioReport Check(string file, string policy, string facility = "tdx-kexec")
    {
        var spec = ScenarioParser.Parse(Example(file), file).Spec!;
        var policies = ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string> { [facility] = policy });
        return ScenarioChecker.Check(spec, policies, spec.Exploration ?? new ExplorationOptions { AdversaryBudget = 0 }, spec.Plain);
    }

    private static bool Violated(ScenarioReport r, string property) => r.Properties.Single(p => p.Property == property).Violated;

    [Theory]
    [InlineData("tdx-crash-kexec-running-td.scn", "upstream", false)]
    [InlineData("tdx-crash-kexec-running-td.scn", "seed-notifier", false)]
    [InlineData("tdx-crash-kexec-running-td.scn", "pamt-only", true)]
    [InlineData("tdx-crash-kexec-running-td.scn", "none", true)]
    [InlineData("tdx-no-erratum-crash-kexec.scn", "upstream", false)]
    [InlineData("tdx-no-erratum-crash-kexec.scn", "seed-notifier", false)]
    [InlineData("tdx-no-erratum-crash-kexec.scn", "pamt-only", false)]
    [InlineData("tdx-no-erratum-crash-kexec.scn", "none", false)]
    [InlineData("tdx-reset-notifier-fails.scn", "seed-notifier", true)]
    public void Only_the_policies_that_leave_td_pages_unreset_on_an_erratum_platform_end_in_a_machine_check(string file, string policy, bool mc)
    {
        var r = Check(file, policy);
        Assert.Equal(mc, Violated(r, "no-machine-check"));
        Assert.True(r.Passed, string.Join("\n", r.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
    }

    [Theory]
    [InlineData("upstream", false)]
    [InlineData("seed-notifier", false)]
    [InlineData("pamt-only", false)]
    [InlineData("none", true)]
    public void Only_none_lets_an_old_key_id_line_land_on_the_second_kernels_data(string policy, bool corrupted)
    {
        var r = Check("tdx-stale-keyid-writeback.scn", policy);
        Assert.Equal(corrupted, Violated(r, "no-resurrection"));
        Assert.Equal(corrupted, Violated(r, "no-stale-read"));
        Assert.True(r.Passed, string.Join("\n", r.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
    }

    [Theory]
    [InlineData("tdx-page-reclaim.scn", "upstream", false, false)]
    [InlineData("tdx-page-reclaim.scn", "no-wbinvd", false, true)]
    [InlineData("tdx-page-reclaim.scn", "no-reset", true, false)]
    [InlineData("tdx-page-reclaim.scn", "none", true, false)]
    [InlineData("tdx-init-failure-pamt.scn", "upstream", false, false)]
    [InlineData("tdx-init-failure-pamt.scn", "no-wbinvd", false, true)]
    [InlineData("tdx-init-failure-pamt.scn", "no-reset", true, false)]
    [InlineData("tdx-init-failure-pamt.scn", "none", false, true)]
    public void Reclaiming_without_the_flush_corrupts_and_without_the_reset_poisons(string file, string policy, bool mc, bool resurrection)
    {
        var r = Check(file, policy, "tdx-reclaim");
        Assert.Equal(mc, Violated(r, "no-machine-check"));
        Assert.Equal(resurrection, Violated(r, "no-resurrection"));
        Assert.True(r.Passed, string.Join("\n", r.Expectations.Where(e => !e.Held).Select(e => e.Explanation)));
    }

    [Fact]
    public void After_a_panic_with_no_crash_kernel_the_remaining_steps_are_skipped()
    {
        var r = Check("tdx-crash-kexec-running-td.scn", "upstream");
        Assert.DoesNotContain(r.Properties, p => p.Violated);
    }
}
