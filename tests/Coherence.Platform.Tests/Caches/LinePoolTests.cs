using Coherence.Platform.Caches;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Tests.Caches;

public class LinePoolTests
{
    [Fact]
    public void Slots_get_records_on_first_use_only()
    {
        var pool = new LinePool();
        var a = LineBytes.Shared(pool, 32_768);
        var b = LineBytes.Shared(pool, 512);
        Assert.Equal(0, pool.Count);
        a.Fill(100, new byte[64], [7], OriginGrain.Line);
        b.Data(3)[0] = 1;
        Assert.Equal(2, pool.Count);
        a.Data(100)[5] = 9;
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void A_record_stays_where_it_is_while_the_pool_grows()
    {
        var pool = new LinePool();
        var payload = LineBytes.Shared(pool, 10_000);
        var held = payload.Data(0);
        payload.SetOrigin(0, 0, 64, 5);
        for (var slot = 1; slot < 10_000; slot++)
        {
            payload.Data(slot)[0] = (byte)slot; // hands out 9 999 more entries: many new chunks
            payload.SetOrigin(slot, 0, 64, 1);
            payload.SetOrigin(slot, 8, 8, (uint)slot);
        }
        held[63] = 0xAB; // written through a span taken before the growth
        Assert.Equal(10_000, pool.Count);
        Assert.Equal(0xAB, payload.Data(0)[63]);
        Assert.Equal(5u, payload.OriginAt(0, 63));
        Assert.Equal(unchecked((byte)9_999), payload.Data(9_999)[0]);
        Assert.Equal(9_999u, payload.OriginAt(9_999, 8));
        Assert.Equal(OriginGrain.Word, payload.GrainOf(9_999));
    }

    [Fact]
    public void Moving_a_line_exchanges_records_also_with_a_slot_never_used()
    {
        var pool = new LinePool();
        var upper = LineBytes.Shared(pool, 4);
        var lower = LineBytes.Shared(pool, 4);
        upper.Fill(1, Enumerable.Repeat((byte)0x5A, 64).ToArray(), [42], OriginGrain.Line);
        upper.MoveTo(1, ref lower, 2);
        Assert.Equal(1, pool.Count);
        Assert.Equal(0x5A, lower.Data(2)[17]);
        Assert.Equal(42u, lower.OriginAt(2, 17));
        upper.Data(1)[0] = 3; // the slot gave its record away; it gets a new one
        Assert.Equal(2, pool.Count);
        Assert.Equal(0x5A, lower.Data(2)[0]);
    }
}
