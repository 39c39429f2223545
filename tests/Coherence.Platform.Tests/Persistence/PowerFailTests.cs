using Coherence.Platform.Persistence;

namespace Coherence.Platform.Tests.Persistence;

public class PowerFailTests
{
    private const ulong X = TestPlatform.Pmem + 0x100;
    private const ulong R = TestPlatform.Dram + 0x100;

    [Theory]
    [InlineData(PersistenceDomain.None, 0UL)]
    [InlineData(PersistenceDomain.Adr, 0UL)]
    [InlineData(PersistenceDomain.Eadr, 7UL)]
    public void Dirty_cached_store_survives_only_under_eadr(PersistenceDomain domain, ulong expected)
    {
        var p = new TestPlatform(domain);
        p.Write64(0, X, 7);
        var report = p.Machine.PowerFail();
        Assert.Equal(expected, p.Media64(X));
        Assert.Equal(domain == PersistenceDomain.Eadr ? 1 : 0, report.DirtyLinesFlushed);
        Assert.Empty(p.Machine.WhereCached(X));
    }

    [Theory]
    [InlineData(PersistenceDomain.None, 0UL)]
    [InlineData(PersistenceDomain.Adr, 7UL)]
    [InlineData(PersistenceDomain.Eadr, 7UL)]
    public void Flushed_and_fenced_store_survives_adr_but_needs_the_queue_drained_without_it(PersistenceDomain domain, ulong expected)
    {
        var p = new TestPlatform(domain, chooser: new Isa.LazyChooser());
        p.Write64(0, X, 7);
        p.Cpu(0).Clwb(X);
        p.Cpu(0).Mfence();
        Assert.Equal(domain == PersistenceDomain.None ? 1 : 0, p.Nvdimm.PendingLines);
        var report = p.Machine.PowerFail();
        Assert.Equal(expected, p.Media64(X));
        Assert.Equal(domain == PersistenceDomain.None ? 1 : 0, report.QueuedLinesLost);
    }

    [Fact]
    public void Store_still_in_the_store_buffer_is_lost_even_under_eadr()
    {
        var p = new TestPlatform(PersistenceDomain.Eadr, chooser: new Isa.LazyChooser());
        p.Write64(0, X, 7);
        var report = p.Machine.PowerFail();
        Assert.Equal(1, report.StoresLost);
        Assert.Equal(0UL, p.Media64(X));
    }

    [Fact]
    public void Nt_store_in_a_wc_buffer_is_lost_and_after_sfence_survives()
    {
        var p = new TestPlatform(PersistenceDomain.Adr, chooser: new Isa.LazyChooser());
        p.Cpu(0).StoreNonTemporal(X, BitConverter.GetBytes(3UL));
        var report = p.Machine.PowerFail();
        Assert.Equal(1, report.WcBuffersLost);
        Assert.Equal(0UL, p.Media64(X));
        p.Cpu(0).StoreNonTemporal(X, BitConverter.GetBytes(4UL));
        p.Cpu(0).Mfence();
        p.Machine.PowerFail();
        Assert.Equal(4UL, p.Media64(X));
    }

    [Fact]
    public void Volatile_memory_is_lost()
    {
        var p = new TestPlatform(PersistenceDomain.Eadr);
        p.Write64(0, R, 5);
        p.Cpu(0).Wbinvd();
        Assert.Equal(5UL, p.Media64(R));
        var report = p.Machine.PowerFail();
        Assert.Equal(0UL, p.Media64(R));
        Assert.True(report.VolatileDevicesCleared >= 1);
    }

    [Fact]
    public void Machine_runs_on_after_power_failure_with_persisted_contents()
    {
        var p = new TestPlatform(PersistenceDomain.Adr);
        p.Write64(0, X, 1);
        p.Cpu(0).Clflush(X);
        p.Write64(0, X + 64, 2);
        p.Machine.PowerFail();
        Assert.Equal(1UL, p.Read64(1, X));
        Assert.Equal(0UL, p.Read64(1, X + 64));
    }
}
