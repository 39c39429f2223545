using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;

namespace Coherence.Platform.Tests.Caches;

/// <summary>A miss served by a device reads the line before the eviction cascade it causes writes anything back.</summary>
public class MissOrderTests
{
    /// <summary>One core, every cache one line: each miss pushes a line down L1, L2, LLC and out.</summary>
    private static Machine OneLineCaches(out MemoryDevice device)
    {
        var machine = new Machine(new PlatformConfig
        {
            Sockets = 1,
            CoresPerSocket = 1,
            L1 = new CacheConfig(64, 1),
            L2 = new CacheConfig(64, 1),
            Llc = new CacheConfig(64, 1),
        });
        device = machine.AddDevice("cxl0", DeviceKind.CxlType3, 1 << 20, persistent: true);
        return machine;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_miss_reads_the_device_before_its_cascade_writes_back(bool aliased)
    {
        var machine = OneLineCaches(out var device);
        machine.AddResource("a", 0x10000, 0x1000, ResourceKind.CxlWindow, device);
        machine.AddResource("b", 0x20000, 0x1000, ResourceKind.CxlWindow, device, deviceOffset: aliased ? 0UL : 0x1000UL);
        var cpu = machine.X86[0];
        cpu.StoreValue(0x10040, 8, 0x11);          // V dirty in L1
        cpu.LoadValue(0x10080, 8, out _);          // V to L2
        cpu.LoadValue(0x100c0, 8, out _);          // V to the LLC
        cpu.LoadValue(0x20040, 8, out var value);  // X: its cascade writes V back; with aliasing, onto X's device line
        Assert.Equal(0UL, value);                  // X was read before the write-back, as the model always did
        var media = new byte[64];
        device.ReadMedia(0x40, media, new uint[64]);
        Assert.Equal(0x11, media[0]);
    }
}
