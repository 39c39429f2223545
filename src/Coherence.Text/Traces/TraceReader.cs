using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>
/// Streams trace records out of a text trace (after <see cref="TraceInput.Open"/>) in batches, parsing bytes in place:
/// no string per line, hex by hand, one buffer reused for the whole trace (it grows only for a line longer than
/// itself). Follows Dinero IV's readers: leading blanks are skipped, a line with a label but no address is a "short
/// line", anything after the last field is ignored (comments), a <c>0x</c> prefix is accepted.
/// </summary>
/// <remarks>
/// Formats: <c>din</c> (<see cref="TraceFormat.Din"/>) is "LABEL ADDRESS" with hex label 0–a and hex address,
/// truncated to a 4-byte word, size 4. Extended din (<see cref="TraceFormat.ExtendedDin"/>) is "TYPE ADDRESS SIZE"
/// with TYPE one of Dinero's letters r w i m c v, Coherence's f o b n x, or a decimal label 0–10, and hex address and
/// size. With a core column (<see cref="TraceReader(Stream, TraceFormat, int)"/> with cores above 0) every line starts
/// with a decimal core id. A malformed record raises <see cref="TraceFormatException"/> with Dinero's message; the
/// records before it are returned first.
/// </remarks>
public sealed class TraceReader
{
    private const int InitialBufferSize = 1 << 20;
    private static readonly byte[] Hex = BuildHexTable();
    private readonly Stream stream;
    private readonly TraceFormat format;
    private readonly int cores;
    private readonly string formatName;
    private byte[] buffer = new byte[InitialBufferSize];
    private int pos;
    private int complete;
    private int filled;
    private bool eof;
    private long records;
    private TraceFormatException? pending;

    /// <summary>Creates a reader of <paramref name="stream"/>. With <paramref name="cores"/> above 0 each line starts
    /// with a core id below it.</summary>
    public TraceReader(Stream stream, TraceFormat format, int cores = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        this.format = format;
        this.cores = cores;
        formatName = format == TraceFormat.Din ? "din" : "xdin";
    }

    /// <summary>Records parsed so far.</summary>
    public long RecordsRead => records;

    /// <summary>
    /// Fills <paramref name="destination"/> with the next records and returns how many; 0 at the end of the trace.
    /// Throws <see cref="TraceFormatException"/> at a malformed record once the records before it have been returned.
    /// </summary>
    public int Read(Span<TraceRecord> destination)
    {
        if (pending is not null)
        {
            throw pending;
        }
        var n = 0;
        while (n < destination.Length)
        {
            if (pos >= complete && !Fill())
            {
                break;
            }
            n += format == TraceFormat.Din ? ParseDin(destination[n..]) : ParseExtended(destination[n..]);
            if (pending is not null)
            {
                if (n == 0)
                {
                    throw pending;
                }
                break;
            }
        }
        return n;
    }

    /// <summary>Moves the unparsed tail to the front and reads until the buffer holds at least one complete line or
    /// the stream ends; a last line without a newline gets one. Returns false at the end.</summary>
    private bool Fill()
    {
        if (pos > 0)
        {
            Buffer.BlockCopy(buffer, pos, buffer, 0, filled - pos);
            filled -= pos;
            complete = 0;
            pos = 0;
        }
        while (true)
        {
            if (!eof)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var got = stream.Read(buffer, filled, buffer.Length - filled);
                if (got == 0)
                {
                    eof = true;
                }
                else
                {
                    var start = filled;
                    filled += got;
                    if (filled < buffer.Length && buffer.AsSpan(start, got).IndexOf((byte)'\n') < 0)
                    {
                        continue;
                    }
                }
            }
            var last = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
            if (last >= 0 && (!eof || last == filled - 1))
            {
                complete = last + 1;
                return true;
            }
            if (eof)
            {
                if (filled == 0)
                {
                    return false;
                }
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length + 1);
                }
                buffer[filled++] = (byte)'\n';
                complete = filled;
                return true;
            }
        }
    }

    private int ParseDin(Span<TraceRecord> destination)
    {
        ref var b = ref MemoryMarshal.GetArrayDataReference(buffer);
        var hex = Hex;
        var n = 0;
        var p = pos;
        while (n < destination.Length && p < complete)
        {
            var lineStart = p;
            ushort core = 0;
            if (cores > 0 && !ParseCore(ref b, ref p, out core))
            {
                pos = lineStart;
                return n;
            }
            var c = At(ref b, p);
            while (c is (byte)' ' or (byte)'\t')
            {
                c = At(ref b, ++p);
            }
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "short line");
            }
            int label = hex[c];
            if (label == 0xff)
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in label");
            }
            c = At(ref b, ++p);
            if (c is not ((byte)' ' or (byte)'\t'))
            {
                if (c is (byte)'x' or (byte)'X' && label == 0)
                {
                    c = At(ref b, ++p);
                }
                if (c is (byte)'\n' or (byte)'\r')
                {
                    return Fail(n, lineStart, "short line");
                }
                while (hex[c] != 0xff)
                {
                    label = Math.Min((label << 4) | hex[c], 0x1000);
                    c = At(ref b, ++p);
                }
                if (c is (byte)'\n' or (byte)'\r')
                {
                    return Fail(n, lineStart, "short line");
                }
                if (c is not ((byte)' ' or (byte)'\t'))
                {
                    return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in label");
                }
            }
            do
            {
                c = At(ref b, ++p);
            }
            while (c is (byte)' ' or (byte)'\t');
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "short line");
            }
            ulong address = hex[c];
            if (address == 0xff)
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in address");
            }
            c = At(ref b, ++p);
            if (c is (byte)'x' or (byte)'X' && address == 0)
            {
                c = At(ref b, ++p);
            }
            while (hex[c] != 0xff)
            {
                address = (address << 4) | hex[c];
                c = At(ref b, ++p);
            }
            if (c is not ((byte)'\n' or (byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in address");
            }
            if (label > (int)TraceOp.Wbinvd)
            {
                return Fail(n, lineStart, $"unknown label 0x{label:x} (0-5 are Dinero's, 6-a Coherence's)");
            }
            while (c != (byte)'\n')
            {
                c = At(ref b, ++p);
            }
            p++;
            destination[n++] = new TraceRecord(address & ~3UL, 4, (TraceOp)label, core);
            records++;
        }
        pos = p;
        return n;
    }

    private int ParseExtended(Span<TraceRecord> destination)
    {
        ref var b = ref MemoryMarshal.GetArrayDataReference(buffer);
        var hex = Hex;
        var n = 0;
        var p = pos;
        while (n < destination.Length && p < complete)
        {
            var lineStart = p;
            ushort core = 0;
            if (cores > 0 && !ParseCore(ref b, ref p, out core))
            {
                pos = lineStart;
                return n;
            }
            var c = At(ref b, p);
            while (c is (byte)' ' or (byte)'\t')
            {
                c = At(ref b, ++p);
            }
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "short line");
            }
            int op;
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                op = c - '0';
                c = At(ref b, ++p);
                while (c is >= (byte)'0' and <= (byte)'9')
                {
                    op = Math.Min(op * 10 + (c - '0'), 1000);
                    c = At(ref b, ++p);
                }
                if (op > (int)TraceOp.Wbinvd)
                {
                    return Fail(n, lineStart, $"unknown label {op} (0-5 are Dinero's, 6-10 Coherence's)");
                }
            }
            else
            {
                op = LetterOp(c);
                if (op < 0)
                {
                    return Fail(n, lineStart, $"unknown atype: {LineText(lineStart)}");
                }
                c = At(ref b, ++p);
            }
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "short line");
            }
            if (c is not ((byte)' ' or (byte)'\t'))
            {
                return Fail(n, lineStart, $"unknown atype: {LineText(lineStart)}");
            }
            do
            {
                c = At(ref b, ++p);
            }
            while (c is (byte)' ' or (byte)'\t');
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "short line");
            }
            ulong address = hex[c];
            if (address == 0xff)
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in address");
            }
            c = At(ref b, ++p);
            if (c is (byte)'x' or (byte)'X' && address == 0)
            {
                c = At(ref b, ++p);
            }
            while (hex[c] != 0xff)
            {
                address = (address << 4) | hex[c];
                c = At(ref b, ++p);
            }
            if (c is not ((byte)'\n' or (byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in address");
            }
            while (c is (byte)' ' or (byte)'\t')
            {
                c = At(ref b, ++p);
            }
            if (c is (byte)'\n' or (byte)'\r')
            {
                return Fail(n, lineStart, "missing size");
            }
            long size = hex[c];
            if (size == 0xff)
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in size");
            }
            c = At(ref b, ++p);
            if (c is (byte)'x' or (byte)'X' && size == 0)
            {
                c = At(ref b, ++p);
            }
            while (hex[c] != 0xff)
            {
                size = Math.Min((size << 4) | hex[c], 1L << 32);
                c = At(ref b, ++p);
            }
            if (c is not ((byte)'\n' or (byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in size");
            }
            var whole = op is (int)TraceOp.CopyBack or (int)TraceOp.Invalidate or (int)TraceOp.Wbinvd;
            if (size > ushort.MaxValue || (size == 0 && !whole))
            {
                return Fail(n, lineStart, $"size 0x{size:x} out of range (1 to 0xffff{(whole ? "; 0 for the whole cache" : "")})");
            }
            while (c != (byte)'\n')
            {
                c = At(ref b, ++p);
            }
            p++;
            destination[n++] = new TraceRecord(address, (uint)size, (TraceOp)op, core);
            records++;
        }
        pos = p;
        return n;
    }

    private bool ParseCore(ref byte b, ref int p, out ushort core)
    {
        var start = p;
        var c = At(ref b, p);
        while (c is (byte)' ' or (byte)'\t')
        {
            c = At(ref b, ++p);
        }
        if (c is (byte)'\n' or (byte)'\r')
        {
            core = 0;
            Fail(0, start, "short line");
            return false;
        }
        var id = 0;
        var digits = 0;
        while (c is >= (byte)'0' and <= (byte)'9')
        {
            id = Math.Min(id * 10 + (c - '0'), 1 << 20);
            digits++;
            c = At(ref b, ++p);
        }
        if (digits == 0 || c is not ((byte)' ' or (byte)'\t'))
        {
            core = 0;
            Fail(0, start, $"bad core id (code 0x{c:x}); expected a decimal core number first");
            return false;
        }
        if (id >= cores)
        {
            core = 0;
            Fail(0, start, $"core {id} is not below the {cores} cores simulated");
            return false;
        }
        core = (ushort)id;
        return true;
    }

    private static int LetterOp(byte c) => c switch
    {
        (byte)'r' or (byte)'R' => (int)TraceOp.Read,
        (byte)'w' or (byte)'W' => (int)TraceOp.Write,
        (byte)'i' or (byte)'I' => (int)TraceOp.InstructionFetch,
        (byte)'m' or (byte)'M' => (int)TraceOp.Misc,
        (byte)'c' or (byte)'C' => (int)TraceOp.CopyBack,
        (byte)'v' or (byte)'V' => (int)TraceOp.Invalidate,
        (byte)'f' or (byte)'F' => (int)TraceOp.Clflush,
        (byte)'o' or (byte)'O' => (int)TraceOp.Clflushopt,
        (byte)'b' or (byte)'B' => (int)TraceOp.Clwb,
        (byte)'n' or (byte)'N' => (int)TraceOp.NonTemporalStore,
        (byte)'x' or (byte)'X' => (int)TraceOp.Wbinvd,
        _ => -1,
    };

    private string LineText(int start)
    {
        var end = Array.IndexOf(buffer, (byte)'\n', start, complete - start);
        var text = System.Text.Encoding.Latin1.GetString(buffer, start, Math.Min(end - start, 80)).TrimEnd('\r');
        return text;
    }

    /// <summary>Records the error of the record starting at <paramref name="lineStart"/> and returns the records parsed
    /// before it in this call.</summary>
    private int Fail(int parsed, int lineStart, string what)
    {
        pos = lineStart;
        pending = new TraceFormatException(records + 1, $"{formatName} format error on trace record {records + 1}: {what}");
        return parsed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ref byte b, int i) => Unsafe.Add(ref b, i);

    private static byte[] BuildHexTable()
    {
        var t = new byte[256];
        Array.Fill(t, (byte)0xff);
        for (var c = '0'; c <= '9'; c++)
        {
            t[c] = (byte)(c - '0');
        }
        for (var c = 'a'; c <= 'f'; c++)
        {
            t[c] = (byte)(c - 'a' + 10);
            t[c - 32] = (byte)(c - 'a' + 10);
        }
        return t;
    }
}
