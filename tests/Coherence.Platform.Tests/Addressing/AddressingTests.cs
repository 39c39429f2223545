using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;

namespace Coherence.Platform.Tests.Addressing;

public class AddressingTests
{
    [Fact]
    public void Map_finds_resources_and_keeps_them_sorted()
    {
        var p = new TestPlatform();
        var map = p.Machine.Map;
        Assert.Equal(["ram", "pmem0", "cxl-window0"], map.Resources.Select(r => r.Name));
        Assert.Equal(ResourceKind.PersistentMemory, map.Find(TestPlatform.Pmem + 5)!.Kind);
        Assert.Equal(ResourceKind.CxlWindow, map.Find(TestPlatform.Cxl)!.Kind);
        Assert.Null(map.Find(TestPlatform.Pmem + (1 << 20)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => map.Resolve(0x5_0000_0000));
        Assert.Contains("0x500000000", ex.Message);
    }

    [Fact]
    public void Retarget_changes_the_backing_device_and_validates_the_range()
    {
        var p = new TestPlatform();
        p.Machine.Retarget("cxl-window0", p.Cxl1, 0);
        Assert.Same(p.Cxl1, p.Machine.Map.Named("cxl-window0")!.Device);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Machine.Retarget("cxl-window0", p.Cxl0, 0x80000));
        Assert.Same(p.Cxl1, p.Machine.Map.Named("cxl-window0")!.Device);
        Assert.Contains("nope", Assert.Throws<ArgumentException>(() => p.Machine.Retarget("nope", p.Cxl0)).Message);
    }

    [Fact]
    public void Address_space_translates_with_types_and_rejects_bad_mappings()
    {
        var s = new AddressSpace("s");
        s.Map(0x10000, 0x200000, 0x2000, MemoryType.WriteCombining);
        Assert.True(s.TryTranslate(0x11234, out var pa, out var type));
        Assert.Equal(0x201234UL, pa);
        Assert.Equal(MemoryType.WriteCombining, type);
        Assert.False(s.TryTranslate(0x12000, out _, out _));
        Assert.Contains("0x11000", Assert.Throws<ArgumentException>(() => s.Map(0x11000, 0, 0x1000, MemoryType.WriteBack)).Message);
        Assert.Contains("0x10010", Assert.Throws<ArgumentException>(() => s.Map(0x10010, 0, 0x1000, MemoryType.WriteBack)).Message);
        Assert.Single(s.Mappings);
        Assert.True(s.Unmap(0x10000));
        Assert.False(s.TryTranslate(0x11234, out _, out _));
    }

    [Fact]
    public void Reserved_ranges_are_identity_mapped_uncached()
    {
        var m = new Machine(new PlatformConfig());
        var d = m.AddDevice("mmio", DeviceKind.Dram, 4096);
        m.AddResource("bar", 0xF000_0000, 4096, ResourceKind.Reserved, d);
        Assert.True(m.DefaultSpace.TryTranslate(0xF000_0010, out _, out var type));
        Assert.Equal(MemoryType.Uncached, type);
        Assert.False(type.IsCacheable());
        Assert.Equal("UC", type.ShortName());
    }

    [Theory]
    [InlineData(0, "sockets 0")]
    [InlineData(1, "cache size")]
    [InlineData(2, "store buffer entries 0")]
    [InlineData(3, "5 sets")]
    public void Bad_platform_configuration_names_the_value(int which, string expected)
    {
        var config = which switch
        {
            0 => new PlatformConfig { Sockets = 0 },
            1 => new PlatformConfig { L1 = new CacheConfig(1000, 8) },
            2 => new PlatformConfig { StoreBufferEntries = 0 },
            _ => new PlatformConfig { Llc = new CacheConfig(5 * 64 * 16, 16) },
        };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new Machine(config)).Message);
    }
}
