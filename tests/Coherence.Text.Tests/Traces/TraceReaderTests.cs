using System.IO.Compression;
using System.Text;
using Coherence.Platform.TraceSim;
using Coherence.Text.Traces;

namespace Coherence.Text.Tests.Traces;

public class TraceReaderTests
{
    private static List<TraceRecord> ReadAll(string text, TraceFormat format, int cores = 0, int batch = 7, bool vector = true)
    {
        var reader = new TraceReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), format, cores, vector);
        var all = new List<TraceRecord>();
        var buffer = new TraceRecord[batch];
        int n;
        while ((n = reader.Read(buffer)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return all;
    }

    private static TraceFormatException Error(string text, TraceFormat format, int cores = 0) =>
        Assert.Throws<TraceFormatException>(() => ReadAll(text, format, cores));

    [Fact]
    public void Din_reads_label_and_hex_address_truncated_to_a_word_of_four_bytes()
    {
        var records = ReadAll("0 1003\n1 0x2000\n2 ABCDEF\n  3\t10 trailing comment\n4 44\n5 55", TraceFormat.Din);
        Assert.Equal(
            [
                new TraceRecord(0x1000, 4, TraceOp.Read),
                new TraceRecord(0x2000, 4, TraceOp.Write),
                new TraceRecord(0xabcdec, 4, TraceOp.InstructionFetch),
                new TraceRecord(0x10, 4, TraceOp.Misc),
                new TraceRecord(0x44, 4, TraceOp.CopyBack),
                new TraceRecord(0x54, 4, TraceOp.Invalidate),
            ],
            records);
    }

    [Fact]
    public void Din_accepts_extension_labels_6_to_a_and_64_bit_addresses()
    {
        var records = ReadAll("6 7f0000001234\n7 40\n8 40\n9 40\na 0\n", TraceFormat.Din);
        Assert.Equal([TraceOp.Clflush, TraceOp.Clflushopt, TraceOp.Clwb, TraceOp.NonTemporalStore, TraceOp.Wbinvd], records.Select(r => r.Op));
        Assert.Equal(0x7f0000001234UL, records[0].Address);
    }

    [Fact]
    public void Vector_and_general_paths_read_the_same_records()
    {
        // Every address length from 1 to 20 digits, both letter cases, prefixes, blanks, comments, CRLF, labels 0-a.
        var random = new Random(11);
        var sb = new StringBuilder();
        const string Digits = "0123456789abcdefABCDEF";
        for (var i = 0; i < 20_000; i++)
        {
            var label = "0123456789a"[random.Next(11)];
            var length = 1 + (i % 20);
            var address = new string([.. Enumerable.Range(0, length).Select(_ => Digits[random.Next(Digits.Length)])]);
            var line = (i % 7) switch
            {
                0 => $"{label} 0x{address}",
                1 => $" {label}\t{address}",
                2 => $"{label} {address} comment",
                3 => $"{label} {address}\r",
                _ => $"{label} {address}",
            };
            sb.Append(line).Append('\n');
        }
        var text = sb.ToString();
        var vector = ReadAll(text, TraceFormat.Din, batch: 1000, vector: true);
        Assert.Equal(20_000, vector.Count);
        Assert.Equal(ReadAll(text, TraceFormat.Din, batch: 1000, vector: false), vector);
    }

    [Fact]
    public void Vector_hex_conversion_gives_every_length_from_1_to_16()
    {
        var text = "fEdCbA9876543210\n"u8.ToArray();
        var v = System.Runtime.Intrinsics.Vector128.Create(text.AsSpan(0, 16));
        var letter = System.Runtime.Intrinsics.Vector128.GreaterThan(v, System.Runtime.Intrinsics.Vector128.Create((byte)'9'));
        for (var length = 1; length <= 16; length++)
        {
            Assert.Equal(Convert.ToUInt64(Encoding.ASCII.GetString(text, 0, length), 16), TraceReader.HexDigits(v, letter, length));
        }
    }

    [Fact]
    public void Extended_din_reads_type_address_and_size()
    {
        var records = ReadAll("r 1003 8\nw 0x2000 0x40\ni 10 4\nm 20 2\nc 0 0\nv 40 4\nf 80 1\no 80 1\nb 80 1\nn 80 10\nx 0 0\n1 99 3\n", TraceFormat.ExtendedDin);
        Assert.Equal(new TraceRecord(0x1003, 8, TraceOp.Read), records[0]);
        Assert.Equal(new TraceRecord(0x2000, 0x40, TraceOp.Write), records[1]);
        Assert.Equal(new TraceRecord(0, 0, TraceOp.CopyBack), records[4]);
        Assert.Equal(new TraceRecord(0x80, 0x10, TraceOp.NonTemporalStore), records[9]);
        Assert.Equal(new TraceRecord(0x99, 3, TraceOp.Write), records[11]);
        Assert.Equal(12, records.Count);
    }

    [Fact]
    public void Core_column_comes_first()
    {
        var records = ReadAll("0 0 100\n3 1 200\n", TraceFormat.Din, cores: 4);
        Assert.Equal([(ushort)0, (ushort)3], records.Select(r => r.Core));
        Assert.Contains("core 4 is not below the 4 cores", Error("4 0 100\n", TraceFormat.Din, cores: 4).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 100\n0 1zz\n", "din format error on trace record 2: non hex digit (code 0x7a) in address")]
    [InlineData("0 100\n\n", "din format error on trace record 2: short line")]
    [InlineData("0\n", "din format error on trace record 1: short line")]
    [InlineData("0 1\n0 2\nq 3\n", "din format error on trace record 3: non hex digit (code 0x71) in label")]
    [InlineData("b 100\n", "din format error on trace record 1: unknown label 0xb (0-5 are Dinero's, 6-a Coherence's)")]
    public void Din_errors_name_the_record_the_way_Dinero_does(string text, string message) =>
        Assert.Equal(message, Error(text, TraceFormat.Din).Message);

    [Theory]
    [InlineData("r 100\n", "xdin format error on trace record 1: missing size")]
    [InlineData("q 100 4\n", "xdin format error on trace record 1: unknown atype: q 100 4")]
    [InlineData("r 100 4\nr 100 0\n", "xdin format error on trace record 2: size 0x0 out of range (1 to 0xffff)")]
    [InlineData("r 100 10000\n", "xdin format error on trace record 1: size 0x10000 out of range (1 to 0xffff)")]
    [InlineData("r 100 4g\n", "xdin format error on trace record 1: non hex digit (code 0x67) in size")]
    public void Extended_din_errors_name_the_record(string text, string message) =>
        Assert.Equal(message, Error(text, TraceFormat.ExtendedDin).Message);

    [Fact]
    public void Records_before_a_bad_one_are_returned_first()
    {
        var reader = new TraceReader(new MemoryStream("0 1\n0 2\n0 zz\n"u8.ToArray()), TraceFormat.Din);
        var buffer = new TraceRecord[10];
        Assert.Equal(2, reader.Read(buffer));
        var e = Assert.Throws<TraceFormatException>(() => reader.Read(buffer));
        Assert.Equal(3, e.RecordNumber);
    }

    [Fact]
    public void Crlf_line_ends_are_accepted()
    {
        Assert.Equal(2, ReadAll("0 100\r\n1 200\r\n", TraceFormat.Din).Count);
    }

    [Fact]
    public void Lines_longer_than_the_buffer_and_records_across_buffer_boundaries_are_read()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 300_000; i++)
        {
            sb.Append("2 ").Append((0x400000 + i * 4).ToString("x")).Append('\n');
        }
        sb.Append("0 10 ").Append('#', 3_000_000).Append('\n').Append("1 20");
        var records = ReadAll(sb.ToString(), TraceFormat.Din, batch: 1000);
        Assert.Equal(300_002, records.Count);
        Assert.Equal(new TraceRecord(0x400000 + 299_999 * 4, 4, TraceOp.InstructionFetch), records[299_999]);
        Assert.Equal(new TraceRecord(0x20, 4, TraceOp.Write), records[^1]);
    }

    [Fact]
    public void Gzip_is_detected_by_its_magic_bytes_even_on_an_unseekable_stream()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write("0 100\n1 200\n"u8);
        }
        var reader = new TraceReader(TraceInput.Open(new ForwardOnly(compressed.ToArray())), TraceFormat.Din);
        var buffer = new TraceRecord[4];
        Assert.Equal(2, reader.Read(buffer));
        var plain = new TraceReader(TraceInput.Open(new ForwardOnly("0 100\n"u8.ToArray())), TraceFormat.Din);
        Assert.Equal(1, plain.Read(buffer));
        Assert.Equal(0, new TraceReader(TraceInput.Open(new ForwardOnly([])), TraceFormat.Din).Read(buffer));
    }

    /// <summary>A stream like standard input: no seeking, no length.</summary>
    private sealed class ForwardOnly(byte[] data) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, data.Length - position), 3); // short reads, as a pipe gives
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
