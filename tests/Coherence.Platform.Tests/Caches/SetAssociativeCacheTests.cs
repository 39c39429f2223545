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

    [Fact]
    public void Walking_the_valid_slots_visits_exactly_them_in_slot_order()
    {
        var cache = new SetAssociativeCache<NoPayload, LruPolicy>("t", new CacheGeometry(2048 * 64 * 16, 16)); // 32 768 slots
        var expected = new SortedSet<int>();
        var rng = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var address = (ulong)rng.NextInt64(0, 1L << 40) & ~63UL;
            var slot = cache.VictimFor(address, out var evict);
            if (!evict)
            {
                cache.Install(slot, address, i % 3 == 0 ? LineState.Modified : LineState.Shared);
                expected.Add(slot);
            }
        }
        foreach (var slot in expected.Where((_, i) => i % 4 == 0).ToList())
        {
            cache.Invalidate(slot);
            expected.Remove(slot);
        }
        var walked = new List<int>();
        for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
        {
            walked.Add(slot);
        }
        Assert.Equal(expected, walked);
        Assert.Equal(cache.ValidCount, walked.Count);
        Assert.Equal(-1, cache.NextValid(cache.SlotCount));
        Assert.Equal(-1, new SetAssociativeCache<NoPayload, LruPolicy>("e", new CacheGeometry(4096, 4)).NextValid(0));
    }
}

public class WaySearchTests
{
    public static TheoryData<int, int> Rungs()
    {
        var data = new TheoryData<int, int>();
        foreach (var kind in Enum.GetValues<WaySearchKind>())
        {
            foreach (var ways in new[] { 1, 2, 3, 4, 8, 12, 16, 24, 32, 64, 65 })
            {
                data.Add((int)kind, ways);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rungs))]
    public void Every_rung_finds_the_first_matching_way_or_none(int rung, int ways)
    {
        var kind = (WaySearchKind)rung;
        if (!WaySearch.Supported(kind, ways))
        {
            return; // this host lacks the rung, or the rung does not take this associativity
        }
        var tags = new ulong[ways + 8];
        for (var w = 0; w < tags.Length; w++)
        {
            tags[w] = 1000 + (ulong)w;
        }
        for (var target = 0; target < ways; target++)
        {
            Assert.Equal(target, WaySearch.IndexOf(kind, ref tags[0], ways, 1000 + (ulong)target));
        }
        Assert.Equal(-1, WaySearch.IndexOf(kind, ref tags[0], ways, 1000 + (ulong)ways)); // just past the set
        Assert.Equal(-1, WaySearch.IndexOf(kind, ref tags[0], ways, 7));
        tags[ways - 1] = tags[0] = ulong.MaxValue;
        Assert.Equal(0, WaySearch.IndexOf(kind, ref tags[0], ways, ulong.MaxValue));
    }

    [Fact]
    public void The_chosen_rung_is_supported()
    {
        foreach (var ways in new[] { 1, 3, 4, 8, 16, 64, 65, 512 })
        {
            Assert.True(WaySearch.Supported(WaySearch.Choose(ways), ways));
        }
    }
}

public class LruAgeTests
{
    /// <summary>A reference LRU: the way used longest ago.</summary>
    private static int Oldest(long[] lastUse) => Array.IndexOf(lastUse, lastUse.Min());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ages_give_the_least_recently_used_way(bool vector)
    {
        if (vector && !System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
        {
            return;
        }
        var random = new Random(3);
        foreach (var ways in new[] { 1, 2, 3, 7, 8, 12, 16 })
        {
            var ages = new sbyte[16];
            for (var w = 0; w < 16; w++)
            {
                ages[w] = w < ways ? (sbyte)w : sbyte.MaxValue;
            }
            var lastUse = new long[ways];
            for (var w = 0; w < ways; w++)
            {
                lastUse[w] = -ways + w; // the initial order: way 0 oldest... as any permutation would do
            }
            for (var step = 0; step < 2000; step++)
            {
                var way = random.Next(ways);
                if (vector)
                {
                    LruPolicy.UseVector(ref ages[0], way);
                }
                else
                {
                    LruPolicy.UseScalar(ref ages[0], way, ways);
                }
                lastUse[way] = step;
                if (step >= ways * 4)
                {
                    var oldest = vector ? LruPolicy.OldestVector(ref ages[0], ways) : LruPolicy.OldestScalar(ref ages[0], ways);
                    Assert.Equal(Oldest(lastUse), oldest);
                }
            }
            Assert.All(ages[ways..], a => Assert.Equal(sbyte.MaxValue, a));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(20)]
    public void Cache_victims_follow_last_use_for_aged_and_stamped_sets(int ways)
    {
        // 4 sets; a random mix of hits and fills; the victim asked for a full set is always the way used longest ago.
        var cache = new SetAssociativeCache<NoPayload, LruPolicy>("t", new CacheGeometry(4L * ways * 64, ways));
        var random = new Random(ways);
        var lastUse = new Dictionary<int, long>();
        for (var step = 0L; step < 20_000; step++)
        {
            var line = (ulong)random.Next(ways * 4 * 2) * 64;
            var slot = cache.Find(line);
            if (slot >= 0)
            {
                cache.Touch(slot);
            }
            else
            {
                slot = cache.VictimFor(line, out var evict);
                if (evict)
                {
                    var first = cache.FirstSlotOfSet(line);
                    var expected = Enumerable.Range(first, ways).MinBy(s => lastUse[s]);
                    Assert.Equal(expected, slot);
                    Assert.True(cache.Policy.RankOf(slot) < cache.Policy.RankOf(first + ((slot - first + 1) % ways)) || ways == 1);
                }
                cache.Install(slot, line, LineState.Exclusive);
            }
            lastUse[slot] = step;
        }
    }
}

public class ReplaceTests
{
    [Fact]
    public void Replace_fills_free_ways_first_then_returns_the_victim_it_displaced()
    {
        var cache = new SetAssociativeCache<NoPayload, LruPolicy>("t", new CacheGeometry(2 * 64, 2)); // 1 set, 2 ways
        var a = cache.Replace(0, LineState.Modified, out _, out var s0);
        Assert.Equal(LineState.Invalid, s0);
        cache.Replace(64, LineState.Exclusive, out _, out var s1);
        Assert.Equal(LineState.Invalid, s1);
        Assert.Equal(2, cache.ValidCount);
        cache.Touch(cache.Find(64));
        var slot = cache.Replace(128, LineState.Exclusive, out var replaced, out var state);
        Assert.Equal(a, slot);
        Assert.Equal(0UL, replaced);
        Assert.Equal(LineState.Modified, state);
        Assert.Equal(2, cache.ValidCount);
        Assert.Equal(slot, cache.Find(128));
        Assert.Equal(-1, cache.Find(0));
    }
}
