using Coherence.Platform.Caches;

namespace Coherence.Platform.Tests.Caches;

public class SetAssociativeCacheTests
{
    [Theory]
    [InlineData(3000, 4, "3000")]
    [InlineData(4096, 0, "associativity 0")]
    [InlineData(3 * 64 * 4, 4, "3 sets")]
    public void Bad_geometry_names_the_value(long size, int ways, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CacheGeometry(size, ways));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Lru_evicts_least_recently_used_way()
    {
        var cache = new SetAssociativeCache<NoPayload, LruPolicy>("t", new CacheGeometry(2 * 64, 2)); // 1 set, 2 ways
        var a = cache.VictimFor(0, out var ev);
        Assert.False(ev);
        cache.Install(a, 0, LineState.Exclusive);
        var b = cache.VictimFor(64, out ev);
        Assert.False(ev);
        cache.Install(b, 64, LineState.Exclusive);
        cache.Touch(cache.Find(0));
        var v = cache.VictimFor(128, out ev);
        Assert.True(ev);
        Assert.Equal(64UL, cache.AddressOf(v));
    }

    [Fact]
    public void Fifo_ignores_hits()
    {
        var cache = new SetAssociativeCache<NoPayload, FifoPolicy>("t", new CacheGeometry(2 * 64, 2));
        cache.Install(cache.VictimFor(0, out _), 0, LineState.Exclusive);
        cache.Install(cache.VictimFor(64, out _), 64, LineState.Exclusive);
        cache.Touch(cache.Find(0));
        var v = cache.VictimFor(128, out _);
        Assert.Equal(0UL, cache.AddressOf(v));
    }

    [Fact]
    public void Random_policy_is_reproducible_from_its_seed()
    {
        int[] Run()
        {
            var cache = new SetAssociativeCache<NoPayload, RandomPolicy>("t", new CacheGeometry(4 * 64, 4), new RandomPolicy(42));
            var victims = new int[50];
            for (var i = 0; i < 4; i++)
            {
                cache.Install(cache.VictimFor((ulong)i * 64, out _), (ulong)i * 64, LineState.Shared);
            }
            for (var i = 0; i < victims.Length; i++)
            {
                victims[i] = cache.VictimFor(1000 * 64, out _);
            }
            return victims;
        }
        var a = Run();
        Assert.Equal(a, Run());
        Assert.True(a.Distinct().Count() > 1);
    }

    [Fact]
    public void Find_uses_set_index_and_tag()
    {
        var cache = new SetAssociativeCache<LineBytes, LruPolicy>("t", new CacheGeometry(4 * 64 * 2, 2)); // 4 sets
        var slot = cache.VictimFor(0x1040, out _);
        cache.Install(slot, 0x1040, LineState.Modified);
        Assert.Equal(slot, cache.Find(0x1040));
        Assert.Equal(slot, cache.Find(0x107F));
        Assert.Equal(-1, cache.Find(0x1080));
        Assert.Equal(1, cache.SetOf(0x1040));
        cache.Payload.Data(slot)[3] = 7;
        Assert.Equal(7, cache.Payload.Data(cache.Find(0x1040))[3]);
        cache.Invalidate(slot);
        Assert.Equal(-1, cache.Find(0x1040));
    }
}
