using Coherence.Native.Copy;
using Coherence.Native.Memory;
using CsCheck;

namespace Coherence.Native.Tests.Copy;

/// <summary>The native instantiation on every rung this machine can run: same contents, nothing outside touched.</summary>
public class NativeCopyTests
{
    private const byte Canary = 0xCC;
    private const int Guard = 128;

    public static TheoryData<NonTemporalRung, FlushCacheShape> Rungs
    {
        get
        {
            var data = new TheoryData<NonTemporalRung, FlushCacheShape>();
            foreach (var shape in Enum.GetValues<FlushCacheShape>())
            {
                foreach (var rung in new[] { NonTemporalRung.Avx512, NonTemporalRung.Avx, NonTemporalRung.Sse2, NonTemporalRung.Scalar })
                {
                    data.Add(rung, shape);
                }
            }

            return data;
        }
    }

    [Fact]
    public void This_machine_runs_the_copy_on_its_widest_rung()
    {
        Assert.True(FlushCache.IsSupported);
        var expected = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? NonTemporalRung.Avx512
            : System.Runtime.Intrinsics.X86.Avx.IsSupported ? NonTemporalRung.Avx
            : NonTemporalRung.Sse2;
        Assert.Equal(expected, FlushCache.Rung);
    }

    [Theory]
    [MemberData(nameof(Rungs))]
    public void Copy_matches_for_every_offset_and_length(NonTemporalRung rung, FlushCacheShape shape)
    {
        if (!FlushCache.Supports(rung))
        {
            Assert.Throws<NotSupportedException>(() => FlushCache.Copy(rung, shape, 0, 0, 64));
            return;
        }

        using var src = new AlignedBuffer(1024);
        using var dst = new AlignedBuffer(Guard + 64 + 600 + Guard);
        new Random((int)rung).NextBytes(src.Span);
        for (var offset = 0; offset < 64; offset++)
        {
            for (var length = 0; length <= 600; length++)
            {
                dst.Span.Fill(Canary);
                var srcOffset = (offset * 7 + length) % 64;
                FlushCache.Copy(rung, shape, (ulong)(dst.Address + Guard + offset), (ulong)(src.Address + srcOffset), (ulong)length);
                CheckCopied(dst.Span, Guard + offset, src.Span.Slice(srcOffset, length), $"{rung} {shape}, offset {offset}, length {length}");
            }
        }

        FlushCache.Drain();
    }

    [Theory]
    [MemberData(nameof(Rungs))]
    public void Fill_matches_for_every_offset_and_length(NonTemporalRung rung, FlushCacheShape shape)
    {
        if (!FlushCache.Supports(rung))
        {
            Assert.Throws<NotSupportedException>(() => FlushCache.Fill(rung, shape, 0, 0, 64));
            return;
        }

        using var dst = new AlignedBuffer(Guard + 64 + 600 + Guard);
        var value = new byte[600];
        for (var offset = 0; offset < 64; offset++)
        {
            for (var length = 0; length <= 600; length++)
            {
                dst.Span.Fill(Canary);
                var v = (byte)(offset + length);
                value.AsSpan().Fill(v);
                FlushCache.Fill(rung, shape, (ulong)(dst.Address + Guard + offset), v, (ulong)length);
                CheckCopied(dst.Span, Guard + offset, value.AsSpan(0, length), $"{rung} {shape} fill, offset {offset}, length {length}");
            }
        }
    }

    [Fact]
    public void Random_large_copies_match_on_every_rung()
    {
        var rungs = Enum.GetValues<NonTemporalRung>().Where(FlushCache.Supports).ToArray();
        Assert.NotEmpty(rungs);
        using var src = new AlignedBuffer((1 << 20) + 64);
        using var dst = new AlignedBuffer((1 << 20) + 4096 + 2 * Guard);
        new Random(11).NextBytes(src.Span);
        Gen.Select(Gen.Int[0, 1 << 20], Gen.Int[0, 4095], Gen.Int[0, 63], Gen.Int[0, rungs.Length - 1], Gen.Enum<FlushCacheShape>())
            .Sample((length, dstOffset, srcOffset, rungIndex, shape) =>
            {
                var span = dst.Span[..(Guard + dstOffset + length + Guard)];
                span.Fill(Canary);
                FlushCache.Copy(rungs[rungIndex], shape, (ulong)(dst.Address + Guard + dstOffset), (ulong)(src.Address + srcOffset), (ulong)length);
                CheckCopied(span, Guard + dstOffset, src.Span.Slice(srcOffset, length), $"{rungs[rungIndex]} {shape}, dst +{dstOffset}, src +{srcOffset}, length {length}");
            }, iter: 200, threads: 1); // one thread: the buffers are shared
    }

    [Fact]
    public void Span_overloads_copy_fill_and_persist()
    {
        var source = new byte[1000];
        new Random(5).NextBytes(source);
        var destination = new byte[1003];
        FlushCache.Persist(destination.AsSpan(3), source);
        Assert.Equal(source, destination[3..]);
        Assert.Equal([0, 0, 0], destination[..3]);
        FlushCache.Fill(destination.AsSpan(1, 500), 0x77);
        FlushCache.Drain();
        Assert.All(destination[1..501], b => Assert.Equal(0x77, b));
        Assert.Equal(source[498..], destination[501..]);
    }

    [Fact]
    public void Span_copy_to_a_shorter_destination_names_both_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => FlushCache.Copy(new byte[10], new byte[11]));
        Assert.Contains("10 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("11 bytes", e.Message, StringComparison.Ordinal);
    }

    private static void CheckCopied(ReadOnlySpan<byte> buffer, int start, ReadOnlySpan<byte> expected, string where)
    {
        if (!buffer.Slice(start, expected.Length).SequenceEqual(expected))
        {
            Assert.Fail($"{where}: destination differs from the source");
        }

        if (buffer[..start].IndexOfAnyExcept(Canary) is var before and >= 0)
        {
            Assert.Fail($"{where}: byte {before - start} before the destination was touched");
        }

        if (buffer[(start + expected.Length)..].IndexOfAnyExcept(Canary) is var after and >= 0)
        {
            Assert.Fail($"{where}: byte {after} after the destination was touched");
        }
    }
}
