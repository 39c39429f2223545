using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>Bytes past the data that the buffer always has, so that a 16-byte load anywhere in a line, and the
    /// byte after it, stay inside the array.</summary>
    private const int Slack = 32;
    private readonly Stream stream;
    private readonly TraceFormat format;
    private readonly int cores;
    private readonly string formatName;
    private readonly bool vector;
    private byte[] buffer = new byte[InitialBufferSize + Slack];
    private int pos;
    private int complete;
    private int filled;
    private bool eof;
    private long records;
    private TraceFormatException? pending;

    /// <summary>Creates a reader of <paramref name="stream"/>. With <paramref name="cores"/> above 0 each line starts
    /// with a core id below it.</summary>
    public TraceReader(Stream stream, TraceFormat format, int cores = 0)
        : this(stream, format, cores, Vector128.IsHardwareAccelerated)
    {
    }

    /// <summary>As the public constructor; <paramref name="vector"/> false parses every line on the general path
    /// (tests compare the two).</summary>
    internal TraceReader(Stream stream, TraceFormat format, int cores, bool vector)
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        this.format = format;
        this.cores = cores;
        this.vector = vector;
        formatName = format == TraceFormat.Din ? "din" : "xdin";
    }

    /// <summary>Bytes of trace text the buffer can hold.</summary>
    private int Capacity => buffer.Length - Slack;

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
                if (filled == Capacity)
                {
                    Array.Resize(ref buffer, Capacity * 2 + Slack);
                }
                var got = stream.Read(buffer, filled, Capacity - filled);
                if (got == 0)
                {
                    eof = true;
                }
                else
                {
                    var start = filled;
                    filled += got;
                    if (filled < Capacity && buffer.AsSpan(start, got).IndexOf((byte)'\n') < 0)
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
                if (filled == Capacity)
                {
                    Array.Resize(ref buffer, Capacity + 1 + Slack);
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
        var fast = vector && cores == 0;
        var n = 0;
        var p = pos;
        while (n < destination.Length && p < complete)
        {
            if (fast && TryFastDin(ref b, ref p, out var record))
            {
                destination[n++] = record;
                continue;
            }
            var lineStart = p;
            ushort core = 0;
            if (cores > 0 && !ParseCore(ref b, ref p, n, out core))
            {
                pos = lineStart;
                return n;
            }
            var c = SkipBlanks(ref b, ref p);
            if (IsNewline(c))
            {
                return Fail(n, lineStart, "short line");
            }
            if (!IsHex(c))
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in label");
            }
            var label = HexRun(ref b, ref p, 0x1000);
            c = At(ref b, p);
            if (IsNewline(c))
            {
                return Fail(n, lineStart, "short line");
            }
            if (!IsBlank(c))
            {
                return Fail(n, lineStart, $"non hex digit (code 0x{c:x}) in label");
            }
            if (!ParseField(ref b, ref p, n, lineStart, "address", ulong.MaxValue, out var address, "short line"))
            {
                return n;
            }
            if (label > (int)TraceOp.Wbinvd)
            {
                return Fail(n, lineStart, $"unknown label 0x{label:x} (0-5 are Dinero's, 6-a Coherence's)");
            }
            p = SkipLine(ref b, p);
            destination[n++] = new TraceRecord(address & ~3UL, 4, (TraceOp)label, core);
        }
        records += n;
        pos = p;
        return n;
    }

    /// <summary>
    /// The common din line, "L ADDRESS\n" with a one-digit label and up to 16 hex digits, parsed without a loop or a
    /// branch per character: one 16-byte vector holds the address; its hex digits are classified and converted at once
    /// and the first non-digit gives the length. Anything else (blanks, a 0x prefix, a comment, CRLF, an error) is
    /// left to the general path, which parses the same line again from its start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryFastDin(ref byte b, ref int p, out TraceRecord record)
    {
        var label = HexValue(At(ref b, p));
        var v = Vector128.LoadUnsafe(ref b, (nuint)(p + 2));
        var digit = Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        var letter = Vector128.LessThan((v | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)6));
        var length = BitOperations.TrailingZeroCount(~(digit | letter).ExtractMostSignificantBits());
        if (label > (int)TraceOp.Wbinvd || At(ref b, p + 1) != (byte)' ' || length == 0 || At(ref b, p + 2 + length) != (byte)'\n')
        {
            record = default;
            return false;
        }
        record = new TraceRecord(HexDigits(v, letter, length) & ~3UL, 4, (TraceOp)label);
        p += length + 3;
        return true;
    }

    /// <summary>The value of the first <paramref name="length"/> (1-16) hex digits of <paramref name="text"/>, most
    /// significant first; <paramref name="letter"/> marks the lanes holding a letter digit. Later lanes are ignored.</summary>
    internal static ulong HexDigits(Vector128<byte> text, Vector128<byte> letter, int length)
    {
        // '0'-'9' have their value in the low nibble; 'a'-'f' and 'A'-'F' have it minus 9.
        var nibbles = ((text & Vector128.Create((byte)0x0f)) + (letter & Vector128.Create((byte)9))).AsUInt16();
        // Each 16-bit lane holds two digits, the more significant in its low byte: join them into one byte.
        var pairs = ((nibbles << 4) | (nibbles >> 8)) & Vector128.Create((ushort)0xff);
        var packed = Vector128.Narrow(pairs, pairs).AsUInt64().ToScalar();
        return BinaryPrimitives.ReverseEndianness(packed) >> (64 - 4 * length);
    }

    private int ParseExtended(Span<TraceRecord> destination)
    {
        ref var b = ref MemoryMarshal.GetArrayDataReference(buffer);
        var n = 0;
        var p = pos;
        while (n < destination.Length && p < complete)
        {
            var lineStart = p;
            ushort core = 0;
            if (cores > 0 && !ParseCore(ref b, ref p, n, out core))
            {
                pos = lineStart;
                return n;
            }
            var c = SkipBlanks(ref b, ref p);
            if (IsNewline(c))
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
            if (IsNewline(c))
            {
                return Fail(n, lineStart, "short line");
            }
            if (!IsBlank(c))
            {
                return Fail(n, lineStart, $"unknown atype: {LineText(lineStart)}");
            }
            if (!ParseField(ref b, ref p, n, lineStart, "address", ulong.MaxValue, out var address, "short line")
                || !ParseField(ref b, ref p, n, lineStart, "size", 1UL << 32, out var size, "missing size"))
            {
                return n;
            }
            var whole = op is (int)TraceOp.CopyBack or (int)TraceOp.Invalidate or (int)TraceOp.Wbinvd;
            if (size > ushort.MaxValue || (size == 0 && !whole))
            {
                return Fail(n, lineStart, $"size 0x{size:x} out of range (1 to 0xffff{(whole ? "; 0 for the whole cache" : "")})");
            }
            p = SkipLine(ref b, p);
            destination[n++] = new TraceRecord(address, (uint)size, (TraceOp)op, core);
        }
        records += n;
        pos = p;
        return n;
    }

    /// <summary>
    /// Parses one hex field after blanks at <paramref name="p"/>: an optional 0x and hex digits (saturating at
    /// <paramref name="cap"/>; <c>ulong.MaxValue</c> keeps the low 64 bits), ended by a blank or the end of the line.
    /// On a malformed field records the error (<paramref name="missing"/> when the line ends first) and returns false.
    /// </summary>
    private bool ParseField(ref byte b, ref int p, int parsed, int lineStart, string field, ulong cap, out ulong value, string missing)
    {
        var c = SkipBlanks(ref b, ref p);
        value = 0;
        if (IsNewline(c))
        {
            Fail(parsed, lineStart, missing);
            return false;
        }
        if (!IsHex(c))
        {
            Fail(parsed, lineStart, $"non hex digit (code 0x{c:x}) in {field}");
            return false;
        }
        value = HexRun(ref b, ref p, cap);
        c = At(ref b, p);
        if (!IsBlank(c) && !IsNewline(c))
        {
            Fail(parsed, lineStart, $"non hex digit (code 0x{c:x}) in {field}");
            return false;
        }
        return true;
    }

    /// <summary>The hex number at <paramref name="p"/>, whose first character is a hex digit: an x after a leading 0
    /// is a prefix. Stops at the first non-digit; the value saturates at <paramref name="cap"/>.</summary>
    private static ulong HexRun(ref byte b, ref int p, ulong cap)
    {
        ulong value = HexValue(At(ref b, p));
        var c = At(ref b, ++p);
        if (c is (byte)'x' or (byte)'X' && value == 0)
        {
            c = At(ref b, ++p);
        }
        while (IsHex(c))
        {
            value = Math.Min((value << 4) | HexValue(c), cap);
            c = At(ref b, ++p);
        }
        return value;
    }

    private static byte SkipBlanks(ref byte b, ref int p)
    {
        var c = At(ref b, p);
        while (IsBlank(c))
        {
            c = At(ref b, ++p);
        }
        return c;
    }

    /// <summary>The position after the newline that ends the line containing <paramref name="p"/>.</summary>
    private static int SkipLine(ref byte b, int p)
    {
        while (At(ref b, p) != (byte)'\n')
        {
            p++;
        }
        return p + 1;
    }

    private static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t';

    private static bool IsNewline(byte c) => c is (byte)'\n' or (byte)'\r';

    private static bool IsHex(byte c) => HexValue(c) != 0xff;

    /// <summary>The value of hex digit <paramref name="c"/>, or 0xff.</summary>
    private static byte HexValue(byte c) => Hex[c];

    private bool ParseCore(ref byte b, ref int p, int parsed, out ushort core)
    {
        var start = p;
        var c = SkipBlanks(ref b, ref p);
        if (IsNewline(c))
        {
            core = 0;
            Fail(parsed, start, "short line");
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
        if (digits == 0 || !IsBlank(c))
        {
            core = 0;
            Fail(parsed, start, $"bad core id (code 0x{c:x}); expected a decimal core number first");
            return false;
        }
        if (id >= cores)
        {
            core = 0;
            Fail(parsed, start, $"core {id} is not below the {cores} cores simulated");
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
        records += parsed;
        pending = new TraceFormatException(records + 1, $"{formatName} format error on trace record {records + 1}: {what}");
        return parsed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ref byte b, int i) => Unsafe.Add(ref b, i);

    /// <summary>Hex digit values by character, 0xff for a non-digit. A span over constant data, indexed by a byte: no
    /// bounds check.</summary>
    private static ReadOnlySpan<byte> Hex =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];
}
