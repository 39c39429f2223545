namespace Coherence.Cli.Tests;

/// <summary>The kernel scenarios of examples/kernel, run as the main job runs them.</summary>
public class KernelScenarioTests
{
    [Fact]
    public void Every_kernel_example_passes()
    {
        var files = Directory.GetFiles(CliRunner.Example("kernel"), "*.scn");
        Assert.True(files.Length >= 7, $"expected the kernel examples, found {files.Length}");
        var (code, output, err) = CliRunner.Run("check", CliRunner.Example("kernel"));
        Assert.True(code == 0, output + err);
        Assert.EndsWith($"{files.Length} passed, 0 failed" + Environment.NewLine, output);
    }

    [Fact]
    public void Comparing_nvdimm_flush_policies_on_the_erase_scenario_shows_only_none_violating()
    {
        var (code, output, err) = CliRunner.Run("check", CliRunner.Example("kernel/nvdimm-erase-resurrection.scn"), "--compare", "nvdimm-flush=v5.0,v6.2,none");
        Assert.True(code == 0, output + err);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.Single(l => l.StartsWith("property ", StringComparison.Ordinal));
        Assert.Equal(["property", "nvdimm-flush=v5.0", "nvdimm-flush=v6.2", "nvdimm-flush=none"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string[] Row(string property) => lines.Single(l => l.StartsWith(property + " ", StringComparison.Ordinal))[property.Length..]
            .Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var p in new[] { "no-resurrection", "no-stale-read", "no-cross-tenant-leak" })
        {
            var row = Row(p);
            Assert.Equal(3, row.Length);
            Assert.Equal("held", row[0]);
            Assert.Equal("held", row[1]);
            Assert.StartsWith("VIOLATED", row[2], StringComparison.Ordinal);
        }
        foreach (var p in new[] { "no-machine-check", "durability", "kernel-warning" })
        {
            Assert.Equal(["held", "held", "held"], Row(p));
        }
    }
}
