using Coherence.Native.Copy;

namespace Coherence.Native.Tests.Copy;

/// <summary>
/// The kernel's shape, checked on the recording back-end for every destination offset 0-63 and length 0-600 at
/// every width cap: each byte stored once; head and tail by cached stores whose lines are then written back; the
/// body by naturally aligned non-temporal stores, the widest that fit; no fence inside.
/// </summary>
public class AlgorithmShapeTests
{
    public static TheoryData<int, FlushCacheShape> Widths
    {
        get
        {
            var data = new TheoryData<int, FlushCacheShape>();
            foreach (var shape in Enum.GetValues<FlushCacheShape>())
            {
                foreach (var width in new[] { 8, 16, 32, 64 })
                {
                    data.Add(width, shape);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Copy_has_the_shape_for_every_offset_and_length(int width, FlushCacheShape shape) => Sweep(width, shape, fill: false);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fill_has_the_shape_for_every_offset_and_length(int width, FlushCacheShape shape) => Sweep(width, shape, fill: true);

    [Fact]
    public void Whole_lines_keep_cached_and_non_temporal_stores_in_different_lines()
    {
        // 64 bytes to line + 5: 59 cached + CLWB of line 0, then 5 cached + CLWB of line 1; no non-temporal store.
        // 200 bytes to line + 5: 59 cached + CLWB, two whole lines by 64-byte stores, 13 cached + CLWB.
        var r = new Recorder();
        var cpu = new RecordingCpu(r, 64);
        const ulong D = Recorder.DstBase + 5;
        FlushCacheAlgorithm.Copy(ref cpu, D, Recorder.SrcBase, 64, FlushCacheShape.WholeLines);
        Op[] small = [new(OpKind.Cached, D, 59), new(OpKind.WriteBack, Recorder.DstBase, 64), new(OpKind.Cached, D + 59, 5), new(OpKind.WriteBack, Recorder.DstBase + 64, 64)];
        Assert.Equal(small, r.Ops);
        r.Ops.Clear();
        FlushCacheAlgorithm.Copy(ref cpu, D, Recorder.SrcBase, 200, FlushCacheShape.WholeLines);
        Op[] larger =
        [
            new(OpKind.Cached, D, 59), new(OpKind.WriteBack, Recorder.DstBase, 64),
            new(OpKind.NonTemporal, Recorder.DstBase + 64, 64), new(OpKind.NonTemporal, Recorder.DstBase + 128, 64),
            new(OpKind.Cached, Recorder.DstBase + 192, 13), new(OpKind.WriteBack, Recorder.DstBase + 192, 64),
        ];
        Assert.Equal(larger, r.Ops);
    }

    [Fact]
    public void Persist_is_the_copy_then_exactly_one_fence()
    {
        var r = new Recorder();
        var cpu = new RecordingCpu(r, 64);
        FlushCacheAlgorithm.Persist(ref cpu, Recorder.DstBase + 3, Recorder.SrcBase, 300);
        Assert.Single(r.Ops, o => o.Kind == OpKind.Fence);
        Assert.Equal(OpKind.Fence, r.Ops[^1].Kind);
        r.Ops.Clear();
        FlushCacheAlgorithm.Drain(ref cpu);
        Assert.Equal([new Op(OpKind.Fence, 0, 0)], r.Ops);
    }

    [Fact]
    public void Scalar_width_is_the_kernels_movnti_loop_exactly()
    {
        // __memcpy_flushcache(dst = 8-aligned + 5, n = 50): 3 cached + CLWB, 4x8 MOVNTI, 8 MOVNTI, 4 MOVNTI, 3 cached + CLWB.
        var r = new Recorder();
        var cpu = new RecordingCpu(r, 8);
        const ulong D = Recorder.DstBase + 5;
        FlushCacheAlgorithm.Copy(ref cpu, D, Recorder.SrcBase, 50);
        Op[] expected =
        [
            new(OpKind.Cached, D, 3), new(OpKind.WriteBack, Recorder.DstBase, 64),
            new(OpKind.NonTemporal, D + 3, 8), new(OpKind.NonTemporal, D + 11, 8), new(OpKind.NonTemporal, D + 19, 8), new(OpKind.NonTemporal, D + 27, 8),
            new(OpKind.NonTemporal, D + 35, 8), new(OpKind.NonTemporal, D + 43, 4),
            new(OpKind.Cached, D + 47, 3), new(OpKind.WriteBack, Recorder.DstBase, 64),
        ];
        Assert.Equal(expected, r.Ops);
    }

    private static void Sweep(int width, FlushCacheShape shape, bool fill)
    {
        var r = new Recorder();
        var rng = new Random(width);
        rng.NextBytes(r.Src);
        Array.Fill(r.Pattern, (byte)0x5A);
        var cpu = new RecordingCpu(r, width);
        for (var offset = 0; offset < 64; offset++)
        {
            for (var length = 0; length <= 600; length++)
            {
                Array.Fill(r.Dst, (byte)0xEE);
                r.Ops.Clear();
                var dst = Recorder.DstBase + 64 + (ulong)offset;
                var srcOffset = (offset * 7 + length) % 64;
                if (fill)
                {
                    FlushCacheAlgorithm.Fill(ref cpu, dst, Recorder.PatternBase, (ulong)length, shape);
                }
                else
                {
                    FlushCacheAlgorithm.Copy(ref cpu, dst, Recorder.SrcBase + (ulong)srcOffset, (ulong)length, shape);
                }

                CheckShape(r, width, shape, dst, length, fill ? null : srcOffset, $"{shape}, width {width}, offset {offset}, length {length}, {(fill ? "fill" : "copy")}");
            }
        }
    }

    private static void CheckShape(Recorder r, int width, FlushCacheShape shape, ulong dst, int length, int? srcOffset, string where)
    {
        // The kernel: cached to 8-byte alignment, non-temporal in 4-byte grains. Whole lines: both are the line.
        var (edge, grain) = shape == FlushCacheShape.Kernel ? (8UL, 4UL) : (64UL, 64UL);
        var end = dst + (ulong)length;
        var aligned = (dst + edge - 1) & ~(edge - 1);
        var bodyStart = Math.Min(aligned, end);
        var bodyEnd = bodyStart + ((end - bodyStart) & ~(grain - 1));

        var coveredBy = new OpKind?[Recorder.Window];
        var lastCachedStoreToLine = new Dictionary<ulong, int>();
        var writeBacks = new List<(ulong Line, int Index)>();
        for (var i = 0; i < r.Ops.Count; i++)
        {
            var op = r.Ops[i];
            switch (op.Kind)
            {
                case OpKind.Fence:
                    Assert.Fail($"{where}: fence inside the copy");
                    break;
                case OpKind.WriteBack:
                    if (op.Address % 64 != 0)
                    {
                        Assert.Fail($"{where}: write-back of an unaligned line 0x{op.Address:x}");
                    }

                    writeBacks.Add((op.Address, i));
                    break;
                case OpKind.Cached:
                case OpKind.NonTemporal:
                    for (var b = op.Address; b < op.Address + (ulong)op.Length; b++)
                    {
                        if (b < dst || b >= end)
                        {
                            Assert.Fail($"{where}: store to 0x{b:x} outside the destination");
                        }

                        var slot = (int)(b - Recorder.DstBase);
                        if (coveredBy[slot] is not null)
                        {
                            Assert.Fail($"{where}: byte 0x{b:x} stored twice");
                        }

                        coveredBy[slot] = op.Kind;
                        var expectCached = b < bodyStart || b >= bodyEnd;
                        if (expectCached != (op.Kind == OpKind.Cached))
                        {
                            Assert.Fail($"{where}: byte at +{b - dst} stored by {op.Kind}, expected {(expectCached ? "cached (head/tail)" : "non-temporal (body)")}");
                        }
                    }

                    if (op.Kind == OpKind.Cached)
                    {
                        for (var line = op.Address & ~63UL; line < op.Address + (ulong)op.Length; line += 64)
                        {
                            lastCachedStoreToLine[line] = i;
                        }
                    }
                    else
                    {
                        var w = op.Length;
                        if (!(w is 4 or 8 or 16 or 32 or 64 && w <= Math.Max(width, 4)))
                        {
                            Assert.Fail($"{where}: non-temporal width {w} over the cap {width}");
                        }

                        if (op.Address % (ulong)w != 0)
                        {
                            Assert.Fail($"{where}: {w}-byte non-temporal store to unaligned 0x{op.Address:x}");
                        }

                        var remaining = bodyEnd - op.Address;
                        var wider = (ulong)(2 * w);
                        if (w < width && op.Address % wider == 0 && remaining >= wider)
                        {
                            Assert.Fail($"{where}: {w}-byte store at +{op.Address - dst} where a {wider}-byte store fits");
                        }
                    }

                    break;
            }
        }

        for (var b = dst; b < end; b++)
        {
            if (coveredBy[(int)(b - Recorder.DstBase)] is null)
            {
                Assert.Fail($"{where}: byte at +{b - dst} never stored");
            }
        }

        // Every line holding cached bytes is written back after its last cached store, and no other line is.
        foreach (var (line, lastStore) in lastCachedStoreToLine)
        {
            if (!writeBacks.Exists(w => w.Line == line && w.Index > lastStore))
            {
                Assert.Fail($"{where}: line 0x{line:x} not written back after its cached store");
            }
        }

        foreach (var (line, _) in writeBacks)
        {
            if (!lastCachedStoreToLine.ContainsKey(line))
            {
                Assert.Fail($"{where}: needless write-back of line 0x{line:x}");
            }
        }

        // Contents: the source bytes (or the fill value), nothing outside touched.
        for (var i = 0; i < Recorder.Window; i++)
        {
            var address = Recorder.DstBase + (ulong)i;
            var inside = address >= dst && address < end;
            var expected = !inside ? (byte)0xEE : srcOffset is int s ? r.Src[s + (int)(address - dst)] : r.Pattern[0];
            if (r.Dst[i] != expected)
            {
                Assert.Fail($"{where}: byte at window {i} is 0x{r.Dst[i]:x2}, expected 0x{expected:x2}");
            }
        }
    }
}

