using Coherence.Kernel.Pmem;
using Coherence.Native.Copy;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Tests.Pmem;

/// <summary>The native flushcache algorithm run on the modelled CPU (issue 10 step 4).</summary>
public class FlushcacheModelCopyTests
{
    private const ulong Base = 0x1_0000_0000;
    private const byte Fill = 0xEE;
    private const ulong Slot = 1024;

    /// <summary>Never lets the hardware drain anything on its own: only fences and forced drains move data.</summary>
    private sealed class LazyChooser : IChooser
    {
        public int Choose(ChoiceKind kind, int count, int defaultOption) => kind == ChoiceKind.Background ? 0 : defaultOption;
    }

    private static Machine NewMachine(ulong capacity = 1 << 20, PersistenceDomain domain = PersistenceDomain.Adr, IChooser? chooser = null)
    {
        var m = new Machine(new PlatformConfig
        {
            Sockets = 1,
            CoresPerSocket = 1,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
            Persistence = domain,
        }, chooser);
        var nv = m.AddDevice("nmem0", DeviceKind.Nvdimm, capacity, initialFill: Fill);
        m.AddResource("pmem0", Base, capacity, ResourceKind.PersistentMemory, nv);
        return m;
    }

    private static byte[] Pattern(int n, int seed)
    {
        var b = new byte[n];
        for (var i = 0; i < n; i++)
        {
            b[i] = (byte)((i * 131) + (seed * 7) + 1);
            if (b[i] == Fill)
            {
                b[i] = 0x11;
            }
        }
        return b;
    }

    /// <summary>Copies, then checks contents, guard bytes and dirtiness; returns nothing, asserts.</summary>
    private static void CopyAndCheck(Machine m, ulong region, int offset, int length, ulong regionSize)
    {
        var dst = region + 64 + (ulong)offset;
        var src = Pattern(length, offset + length);
        var cpu = new ModelFlushCpu(m.X86[0], src);
        FlushCacheAlgorithm.Copy(ref cpu, dst, 0, (ulong)length, FlushCacheShape.Kernel);
        Assert.Equal(AccessOutcome.Ok, cpu.Outcome);

        var seen = new byte[regionSize];
        m.PeekCoherent(region, seen, new uint[regionSize]);
        for (var i = 0; i < seen.Length; i++)
        {
            var rel = i - 64 - offset;
            var want = rel >= 0 && rel < length ? src[rel] : Fill;
            if (seen[i] != want)
            {
                Assert.Fail($"offset {offset} length {length}: byte {i} of the region is 0x{seen[i]:x2}, expected 0x{want:x2}");
            }
        }
        for (var line = region; line < region + regionSize; line += 64)
        {
            foreach (var (cache, state) in m.WhereCached(line))
            {
                if (state.IsDirty())
                {
                    Assert.Fail($"offset {offset} length {length}: line 0x{line:x} is {state} in {cache} after the copy");
                }
            }
        }
        // The drain: SFENCE completes the write-backs and the write-combining buffers; under ADR that is durable.
        FlushCacheAlgorithm.Drain(ref cpu);
        var media = new byte[length];
        m.ReadMedia(dst, media, new uint[length]);
        Assert.True(media.AsSpan().SequenceEqual(src), $"offset {offset} length {length}: media differs from the source after the drain");
    }

    [Fact]
    public void Every_offset_0_to_63_and_length_0_to_600_copies_exactly_and_leaves_nothing_dirty()
    {
        // The full grid: one fresh machine per destination offset, one fresh 1 KiB region per length.
        for (var offset = 0; offset < 64; offset++)
        {
            var m = NewMachine();
            for (var length = 0; length <= 600; length++)
            {
                CopyAndCheck(m, Base + ((ulong)length * Slot), offset, length, Slot);
            }
        }
    }

    [Fact]
    public void With_lazy_hardware_the_copy_and_one_sfence_put_every_offset_and_length_on_the_media()
    {
        // Nothing drains by itself: the cached stores, MOVNTIs and CLWBs reach the media only because the SFENCE
        // (retired) completes the write-backs and drains the write-combining buffers. Full grid, as above.
        for (var offset = 0; offset < 64; offset++)
        {
            var m = NewMachine(chooser: new LazyChooser());
            for (var length = 0; length <= 600; length++)
            {
                var region = Base + ((ulong)length * Slot);
                var dst = region + 64 + (ulong)offset;
                var src = Pattern(length, offset + length);
                var cpu = new ModelFlushCpu(m.X86[0], src);
                FlushCacheAlgorithm.Persist(ref cpu, dst, 0, (ulong)length);
                m.X86[0].Retire();
                Assert.Equal(AccessOutcome.Ok, cpu.Outcome);
                var media = new byte[Slot];
                m.ReadMedia(region, media, new uint[Slot]);
                for (var i = 0; i < media.Length; i++)
                {
                    var rel = i - 64 - offset;
                    var want = rel >= 0 && rel < length ? src[rel] : Fill;
                    if (media[i] != want)
                    {
                        Assert.Fail($"offset {offset} length {length}: media byte {i} of the region is 0x{media[i]:x2}, expected 0x{want:x2}");
                    }
                }
                for (var line = region; line < region + Slot; line += 64)
                {
                    Assert.DoesNotContain(m.WhereCached(line), c => c.State.IsDirty());
                }
            }
        }
    }

    [Fact]
    public void Without_the_sfence_lazy_hardware_keeps_the_copy_off_the_media()
    {
        // The control: the same copy with no fence leaves bytes in WC buffers, the store buffer or dirty lines.
        var m = NewMachine(chooser: new LazyChooser());
        var src = Pattern(13, 3);
        var cpu = new ModelFlushCpu(m.X86[0], src);
        FlushCacheAlgorithm.Copy(ref cpu, Base + 5, 0, 13);
        m.X86[0].Retire();
        var media = new byte[13];
        m.ReadMedia(Base + 5, media, new uint[13]);
        Assert.False(media.AsSpan().SequenceEqual(src));
    }

    [Fact]
    public void Random_larger_copies_copy_exactly_and_leave_nothing_dirty()
    {
        var rng = new Random(20260707);
        var m = NewMachine(capacity: 16 << 20);
        ulong region = Base;
        for (var k = 0; k < 40; k++)
        {
            var length = rng.Next(601, 40_000);
            var offset = rng.Next(0, 64);
            var size = ((ulong)(64 + offset + length + 64) + 4095) & ~4095UL;
            CopyAndCheck(m, region, offset, length, size);
            region += size;
        }
    }

    [Fact]
    public void Kernel_shape_on_the_model_uses_movnti_blocks_and_no_fence()
    {
        // 13 bytes at offset 5: 3-byte head (store + CLWB), one 8-byte MOVNTI, 2-byte tail (store + CLWB): 5 instructions.
        var m = NewMachine();
        var cpu = new ModelFlushCpu(m.X86[0], Pattern(13, 1));
        FlushCacheAlgorithm.Copy(ref cpu, Base + 5, 0, 13);
        Assert.Equal(5, cpu.Instructions);
        Assert.Empty(m.Cpus[0].PendingFlushes);
    }

    [Fact]
    public void Widths_other_than_movnti_are_accepted_and_bad_ones_refused()
    {
        var m = NewMachine();
        var cpu = new ModelFlushCpu(m.X86[0], Pattern(300, 2), nonTemporalWidth: 64);
        FlushCacheAlgorithm.Copy(ref cpu, Base + 3, 0, 300);
        Assert.Equal(AccessOutcome.Ok, cpu.Outcome);
        var seen = new byte[300];
        m.PeekCoherent(Base + 3, seen, new uint[300]);
        Assert.Equal(Pattern(300, 2), seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelFlushCpu(m.X86[0], [], nonTemporalWidth: 12));
    }
}
