using Coherence.Kernel.Kvm;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>The kernel's capabilities from the platform's ID-register features.</summary>
public class Arm64CpuFeatureDetectionTests
{
    [Theory]
    [InlineData(Arm64Features.None, Arm64CpuFeatures.None, false)]
    [InlineData(Arm64Features.Fwb, Arm64CpuFeatures.Fwb, false)]
    [InlineData(Arm64Features.Fwb | Arm64Features.Dic, Arm64CpuFeatures.Fwb | Arm64CpuFeatures.Dic, true)]
    [InlineData(Arm64Features.Dic | Arm64Features.DcPop, Arm64CpuFeatures.Dic | Arm64CpuFeatures.DcPop, false)]
    [InlineData(Arm64Features.All, Arm64CpuFeatures.Fwb | Arm64CpuFeatures.Dic | Arm64CpuFeatures.DcPop, true)]
    public void Each_hardware_feature_gives_its_capability(Arm64Features hardware, Arm64CpuFeatures expected, bool cacheablePfnmap)
    {
        var caps = Arm64CpuFeatureSet.Detect(hardware);
        Assert.Equal(expected, caps);
        Assert.Equal(cacheablePfnmap, caps.SupportsCacheablePfnmap());
    }
}
