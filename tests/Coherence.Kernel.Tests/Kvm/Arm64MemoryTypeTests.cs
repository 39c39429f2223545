using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>The arm64 types' properties, checked against the architecture's definitions one by one.</summary>
public class Arm64MemoryTypeTests
{
    // type, device, cacheability, G, R, E, short name
    public static TheoryData<Arm64MemoryType, bool, Arm64Cacheability, bool, bool, bool, string> Facts => new()
    {
        { Arm64MemoryType.NormalWB, false, Arm64Cacheability.WriteBack, true, true, true, "Normal-WB" },
        { Arm64MemoryType.NormalWT, false, Arm64Cacheability.WriteThrough, true, true, true, "Normal-WT" },
        { Arm64MemoryType.NormalNC, false, Arm64Cacheability.NonCacheable, true, true, true, "Normal-NC" },
        { Arm64MemoryType.DeviceGRE, true, Arm64Cacheability.NonCacheable, true, true, true, "Device-GRE" },
        { Arm64MemoryType.DeviceNGRE, true, Arm64Cacheability.NonCacheable, false, true, true, "Device-nGRE" },
        { Arm64MemoryType.DeviceNGnRE, true, Arm64Cacheability.NonCacheable, false, false, true, "Device-nGnRE" },
        { Arm64MemoryType.DeviceNGnRnE, true, Arm64Cacheability.NonCacheable, false, false, false, "Device-nGnRnE" },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public void Classification(Arm64MemoryType t, bool device, Arm64Cacheability c, bool g, bool r, bool e, string name)
    {
        Assert.Equal(device, t.IsDevice());
        Assert.Equal(!device, t.IsNormal());
        Assert.Equal(c, t.Cacheability());
        Assert.Equal(c != Arm64Cacheability.NonCacheable, t.IsCacheable());
        Assert.Equal(g, t.AllowsGathering());
        Assert.Equal(r, t.AllowsReordering());
        Assert.Equal(e, t.AllowsEarlyWriteAck());
        Assert.Equal(name, t.ShortName());
    }

    [Fact]
    public void All_lists_every_enum_value_once() =>
        Assert.Equal(Enum.GetValues<Arm64MemoryType>().Order(), Arm64MemoryTypes.All.Order());

    [Fact]
    public void Restrictiveness_follows_the_spec_order()
    {
        // Spec §4.3, most restrictive first.
        string[] order = ["Device-nGnRnE", "Device-nGnRE", "Device-nGRE", "Device-GRE", "Normal-NC", "Normal-WT", "Normal-WB"];
        var byRank = Arm64MemoryTypes.All.OrderByDescending(t => t.Restrictiveness()).Select(t => t.ShortName());
        Assert.Equal(order, byRank);
        Assert.Equal(7, Arm64MemoryTypes.All.Select(t => t.Restrictiveness()).Distinct().Count());
    }

    [Fact]
    public void X86_memory_types_are_unchanged()
    {
        Assert.Equal(4, Enum.GetValues<MemoryType>().Length);
        Assert.True(MemoryType.WriteBack.IsCacheable());
        Assert.True(MemoryType.WriteThrough.IsCacheable());
        Assert.False(MemoryType.WriteCombining.IsCacheable());
        Assert.True(MemoryType.WriteCombining.IsWriteCombining());
        Assert.Equal("UC", MemoryType.Uncached.ShortName());
    }
}
