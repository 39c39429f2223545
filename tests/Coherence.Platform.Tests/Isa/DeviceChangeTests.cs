using Coherence.Platform.Provenance;

namespace Coherence.Platform.Tests.Isa;

/// <summary>The cases the seeds are about: devices change behind the caches' backs.</summary>
public class DeviceChangeTests
{
    private const ulong X = TestPlatform.Cxl + 0x40;

    [Fact]
    public void Stale_read_after_erase_behind_a_cached_line()
    {
        var p = new TestPlatform();
        p.Machine.DeviceWrite(X, BitConverter.GetBytes(0xDEADBEEFUL), "A");
        Assert.Equal(0xDEADBEEFUL, p.Read64(0, X));           // now cached clean
        p.Machine.EraseDevice(p.Cxl0);                        // media zeroed, cache untouched
        Assert.Equal(0UL, p.Media64(X));
        var (value, origins) = p.Read64WithOrigins(0, X);
        Assert.Equal(0xDEADBEEFUL, value);                    // stale
        var origin = p.Machine.Origins[origins[0]];
        Assert.Equal(OriginKind.DeviceWrite, origin.Kind);
        Assert.NotEqual(p.Cxl0.Epoch, origin.Epoch);
        // after invalidation the erased contents show
        p.Cpu(0).Wbinvd();
        Assert.Equal(0UL, p.Read64(0, X));
    }

    [Fact]
    public void Dirty_line_written_back_resurrects_data_onto_erased_media()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 0x5EC2E7, tenant: "A");
        p.Machine.EraseDevice(p.Cxl0);
        Assert.Equal(0UL, p.Media64(X));
        p.Cpu(0).Clflush(X);
        var origins = new uint[8];
        p.Machine.ReadMedia(X, new byte[8], origins);
        Assert.Equal(0x5EC2E7UL, p.Media64(X));
        var o = p.Machine.Origins[origins[0]];
        Assert.Equal(OriginKind.Store, o.Kind);
        Assert.True(o.Step < p.Machine.Origins[p.Cxl0.FillOrigin].Step, "resurrected bytes predate the erase");
    }

    [Fact]
    public void Retargeted_window_keeps_stale_clean_lines_and_writes_dirty_ones_into_the_new_device()
    {
        var p = new TestPlatform();
        p.Machine.DeviceWrite(X, BitConverter.GetBytes(1UL));
        p.Read64(0, X);                        // clean copy of cxl0's data
        p.Write64(1, X + 64, 2);               // dirty line of the window
        p.Machine.Retarget("cxl-window0", p.Cxl1);
        Assert.Equal(1UL, p.Read64(0, X));     // stale: cxl1 holds zeros there
        p.Cpu(1).Wbinvd();                     // dirty line lands in cxl1
        var data = new byte[64];
        p.Cxl1.ReadMedia(0x80, data, new uint[64]);
        Assert.Equal(2UL, BitConverter.ToUInt64(data));
    }

    [Fact]
    public void Wbinvd_reaches_own_socket_only()
    {
        var p = new TestPlatform(sockets: 2, cores: 2);
        p.Write64(0, X, 10);            // socket 0, cpu0
        p.Write64(2, X + 64, 20);       // socket 1, cpu2
        p.Read64(3, X + 128);           // clean in socket 1
        p.Cpu(0).Wbinvd();
        Assert.Equal(10UL, p.Media64(X));
        Assert.NotEqual(20UL, p.Media64(X + 64));
        Assert.Equal(Coherence.Platform.Caches.LineState.Modified, p.StateIn("cpu2.L1", X + 64));
        Assert.NotEmpty(p.Machine.WhereCached(X + 128));
        p.Machine.EraseDevice(p.Cxl0);
        Assert.Equal(20UL, p.Read64(2, X + 64)); // still served from socket 1's cache
    }

    [Fact]
    public void Wbinvd_leaves_other_cores_of_the_same_socket()
    {
        var p = new TestPlatform(cores: 2);
        p.Write64(1, X, 5);
        p.Cpu(0).Wbinvd();
        Assert.Equal(Coherence.Platform.Caches.LineState.Modified, p.StateIn("cpu1.L1", X));
    }

    [Fact]
    public void Dma_write_is_invisible_to_a_cached_copy()
    {
        var p = new TestPlatform();
        p.Read64(0, X);
        p.Machine.DeviceWrite(X, BitConverter.GetBytes(77UL), "device");
        Assert.Equal(0UL, p.Read64(0, X));
        p.Cpu(0).Clflush(X);
        Assert.Equal(77UL, p.Read64(0, X));
    }
}
