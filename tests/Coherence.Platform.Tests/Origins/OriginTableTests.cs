using Coherence.Platform.Provenance;

namespace Coherence.Platform.Tests.Origins;

public class OriginTableTests
{
    [Theory]
    [InlineData(OriginKind.Store, 1L, 0, 0, -1, 0u)]
    [InlineData(OriginKind.Initial, -1L, -1, 0, 0, 0u)]
    [InlineData(OriginKind.TdPrivate, (1L << 48) - 2, 4094, 65535, 65534, uint.MaxValue)]
    [InlineData(OriginKind.Erase, 123_456_789_012L, 17, 3, 2, 7u)]
    public void Every_field_comes_back_as_it_went_in(OriginKind kind, long step, int cpu, int tenant, int device, uint epoch)
    {
        var table = new OriginTable();
        var before = table.Add(new Origin(OriginKind.DeviceWrite, 5, 1, 1, 1, 1));
        var origin = new Origin(kind, step, cpu, tenant, device, epoch);
        var id = table.Add(origin);
        Assert.Equal(origin, table[id]);
        Assert.Equal(new Origin(OriginKind.DeviceWrite, 5, 1, 1, 1, 1), table[before]);
    }

    [Theory]
    [InlineData(1L << 48, 0, 0, 0, "step")]
    [InlineData(-2L, 0, 0, 0, "step")]
    [InlineData(1L, 4095, 0, 0, "CPU")]
    [InlineData(1L, -2, 0, 0, "CPU")]
    [InlineData(1L, 0, 65536, 0, "tenant")]
    [InlineData(1L, 0, 0, 65535, "device")]
    public void A_field_beyond_the_packing_is_refused_by_name(long step, int cpu, int tenant, int device, string field)
    {
        var table = new OriginTable();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => table.Add(new Origin(OriginKind.Store, step, cpu, tenant, device, 0)));
        Assert.Contains($"origin's {field} must be between", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, table.Count); // nothing was added
    }

    [Fact]
    public void Ids_keep_their_origins_across_chunk_growth()
    {
        var table = new OriginTable();
        var ids = new List<uint>();
        for (var i = 0; i < 200_000; i++)
        {
            ids.Add(table.Add(new Origin(OriginKind.Store, i, i % 7, 0, -1, 0)));
        }
        Assert.Equal(1u, ids[0]); // id 0 stays reserved
        Assert.All(new[] { 0, 255, 256, 65_534, 65_535, 65_536, 131_071, 199_999 }, i =>
            Assert.Equal(new Origin(OriginKind.Store, i, i % 7, 0, -1, 0), table[ids[i]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => table[200_001]);
    }
}
