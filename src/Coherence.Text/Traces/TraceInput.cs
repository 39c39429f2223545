using System.IO.Compression;

namespace Coherence.Text.Traces;

/// <summary>Opens a trace stream, decompressing it when it starts with the gzip magic bytes (1f 8b).</summary>
public static class TraceInput
{
    /// <summary>
    /// Returns a stream of the trace's text: <paramref name="raw"/> itself, or a gzip decompressor over it. Works on
    /// unseekable streams (standard input): the bytes read to look for the magic are replayed.
    /// </summary>
    public static Stream Open(Stream raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var prefix = new byte[2];
        var n = 0;
        while (n < prefix.Length)
        {
            var got = raw.Read(prefix, n, prefix.Length - n);
            if (got == 0)
            {
                break;
            }
            n += got;
        }
        var replay = new PrefixStream(prefix.AsMemory(0, n), raw);
        return n == 2 && prefix[0] == 0x1f && prefix[1] == 0x8b
            ? new GZipStream(replay, CompressionMode.Decompress, leaveOpen: false)
            : replay;
    }

    /// <summary>A read-only stream that yields some bytes already read, then the rest of another stream.</summary>
    private sealed class PrefixStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!prefix.IsEmpty)
            {
                var n = Math.Min(prefix.Length, buffer.Length);
                prefix.Span[..n].CopyTo(buffer);
                prefix = prefix[n..];
                return n;
            }
            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
