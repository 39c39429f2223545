using System.Runtime.InteropServices;
using Coherence.Native.Cpu;

namespace Coherence.Native.Tests.Cpu;

public class CpuFeaturesTests
{
    /// <summary>The kernel's view of the same CPU: the flags line and clflush size of /proc/cpuinfo.</summary>
    private static (HashSet<string> Flags, int ClflushSize) ProcCpuInfo()
    {
        var flags = new HashSet<string>();
        var size = 0;
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "flags" && flags.Count == 0)
            {
                flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (key == "clflush size" && size == 0)
            {
                size = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return (flags, size);
    }

    [Fact]
    public void Cpuid_agrees_with_the_kernels_cpuinfo()
    {
        var f = CpuFeatures.Detect();
        Assert.Equal(RuntimeInformation.ProcessArchitecture, f.Architecture);
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86))
        {
            Assert.False(f.HasCpuId);
            Assert.False(f.Clwb);
            Assert.NotEmpty(f.Notes);
            return;
        }

        Assert.True(File.Exists("/proc/cpuinfo"), "this test compares CPUID with Linux's /proc/cpuinfo");
        var (flags, clflushSize) = ProcCpuInfo();
        Assert.True(f.HasCpuId);
        Assert.Equal(flags.Contains("clflush"), f.Clflush);
        Assert.Equal(flags.Contains("clflushopt"), f.ClflushOpt);
        Assert.Equal(flags.Contains("clwb"), f.Clwb);
        Assert.Equal(flags.Contains("sse2"), f.Sse2);
        Assert.Equal(flags.Contains("avx2"), f.Avx2);
        Assert.Equal(flags.Contains("avx512f"), f.Avx512F);
        Assert.Equal(flags.Contains("movdir64b"), f.MovDir64B);
        Assert.Equal(flags.Contains("hypervisor"), f.Hypervisor);
        Assert.Equal(clflushSize, f.ClflushLineSize);
    }

    [Fact]
    public void Usable_vector_widths_follow_the_runtime_and_imply_the_cpuid_bit()
    {
        var f = CpuFeatures.Current;
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, f.Avx512FUsable);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx.IsSupported, f.AvxUsable);
        if (f.Avx512FUsable)
        {
            Assert.True(f.Avx512F);
        }
    }

    [Fact]
    public void Describe_lists_every_feature_once()
    {
        var text = CpuFeatures.Current.Describe();
        foreach (var name in new[] { "clflush", "clflush line size", "clflushopt", "clwb", "sse2", "avx2", "avx512f", "movdir64b", "hypervisor" })
        {
            Assert.Single(text.Split('\n'), l => l.StartsWith(name + ": ", StringComparison.Ordinal));
        }
    }
}
