using Coherence.Kernel.Tdx;

namespace Coherence.Kernel.Tests.Tdx;

/// <summary>One test body over every tracker.</summary>
public class PrivatePageTrackerTests
{
    public static TheoryData<string> Kinds => new() { "bitmap", "xarray", "page flag" };

    private static IPrivatePageTracker Create(string kind, ulong pages) => kind switch
    {
        "bitmap" => new BitmapPrivatePageTracker(pages),
        "xarray" => new XarrayPrivatePageTracker(pages),
        _ => new PageFlagPrivatePageTracker(pages),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mark_query_clear(string kind)
    {
        var t = Create(kind, 100_000);
        Assert.Equal(kind, t.Name);
        Assert.False(t.IsPrivate(5));
        Assert.True(t.Mark(5));
        Assert.False(t.Mark(5));
        Assert.True(t.Mark(99_999));
        Assert.True(t.Mark(0));
        Assert.True(t.IsPrivate(5));
        Assert.False(t.IsPrivate(6));
        Assert.Equal(3, t.PrivateCount);
        Assert.Equal([0UL, 5UL, 99_999UL], t.EnumeratePrivate());
        Assert.True(t.Clear(5));
        Assert.False(t.Clear(5));
        Assert.False(t.Clear(7));
        Assert.Equal([0UL, 99_999UL], t.EnumeratePrivate());
        Assert.Equal(2, t.PrivateCount);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reset_all_visits_every_private_page_in_order_then_forgets_them(string kind)
    {
        var t = Create(kind, 1 << 16);
        ulong[] pfns = [65_535, 64, 63, 4096, 1, 300];
        foreach (var p in pfns)
        {
            t.Mark(p);
        }
        var seen = new List<ulong>();
        Assert.Equal(pfns.Length, t.ResetAll(seen.Add));
        Assert.Equal(pfns.Order(), seen);
        Assert.Equal(0, t.PrivateCount);
        Assert.Empty(t.EnumeratePrivate());
        Assert.All(pfns, p => Assert.False(t.IsPrivate(p)));
        Assert.Equal(0, t.ResetAll());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Out_of_range_pfns_are_refused(string kind)
    {
        var t = Create(kind, 1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Mark(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.IsPrivate(ulong.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Clear(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(kind, 0));
    }

    /// <summary>Random mark/clear/query sequences against a set, for several host sizes (seeded, so reproducible).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_operations_agree_with_a_set(string kind)
    {
        foreach (var pages in new ulong[] { 1, 63, 64, 65, 4096, 262_145, 1 << 20 })
        {
            for (var seed = 0; seed < 4; seed++)
            {
                var rng = new Random(seed * 7919 + (int)pages);
                var t = Create(kind, pages);
                var oracle = new SortedSet<ulong>();
                for (var i = 0; i < 3000; i++)
                {
                    var pfn = (ulong)rng.NextInt64((long)pages);
                    switch (rng.Next(3))
                    {
                        case 0:
                            Assert.Equal(oracle.Add(pfn), t.Mark(pfn));
                            break;
                        case 1:
                            Assert.Equal(oracle.Remove(pfn), t.Clear(pfn));
                            break;
                        default:
                            Assert.Equal(oracle.Contains(pfn), t.IsPrivate(pfn));
                            break;
                    }
                }
                Assert.Equal(oracle.Count, t.PrivateCount);
                Assert.Equal(oracle, t.EnumeratePrivate());
            }
        }
    }

    [Fact]
    public void Bitmap_costs_pages_over_8_bytes_which_is_128_mib_for_4_tib()
    {
        Assert.Equal(128L << 20, BitmapPrivatePageTracker.BytesFor(1UL << 30));
        Assert.Equal(8, new BitmapPrivatePageTracker(64).MemoryBytes);
        Assert.Equal(16, new BitmapPrivatePageTracker(65).MemoryBytes);
    }

    [Fact]
    public void Page_flag_array_is_64_bytes_per_page_and_nothing_extra_in_a_kernel()
    {
        Assert.Equal(64, System.Runtime.CompilerServices.Unsafe.SizeOf<StructPage>());
        Assert.Equal(64L << 30, PageFlagPrivatePageTracker.BytesFor(1UL << 30));
        Assert.Equal(640, new PageFlagPrivatePageTracker(10).MemoryBytes);
        Assert.Equal(0, PageFlagPrivatePageTracker.MarginalKernelBytes);
    }

    [Fact]
    public void Xarray_grows_with_touched_groups_and_frees_empty_nodes()
    {
        var t = new XarrayPrivatePageTracker(1UL << 30);
        Assert.Equal(5, t.Levels);
        Assert.Equal(0, t.MemoryBytes);
        t.Mark(0);
        Assert.Equal(5, t.NodeCount);
        t.Mark(63);
        Assert.Equal(5, t.NodeCount);
        t.Mark(64);
        Assert.Equal(6, t.NodeCount);
        t.Mark((1UL << 30) - 1);
        Assert.Equal(10, t.NodeCount);
        Assert.Equal(10 * XarrayPrivatePageTracker.NodeBytes, t.MemoryBytes);
        t.Clear((1UL << 30) - 1);
        Assert.Equal(6, t.NodeCount);
        t.Clear(0);
        t.Clear(63);
        t.Clear(64);
        Assert.Equal(0, t.NodeCount);
        Assert.Equal(17UL, XarrayPrivatePageTracker.PrivateEntry);
    }

    [Fact]
    public void Xarray_levels_follow_six_bits_each()
    {
        Assert.Equal(1, new XarrayPrivatePageTracker(64).Levels);
        Assert.Equal(2, new XarrayPrivatePageTracker(65).Levels);
        Assert.Equal(2, new XarrayPrivatePageTracker(4096).Levels);
        Assert.Equal(3, new XarrayPrivatePageTracker(4097).Levels);
    }
}
