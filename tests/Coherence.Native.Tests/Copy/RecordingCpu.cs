using Coherence.Native.Copy;

namespace Coherence.Native.Tests.Copy;

/// <summary>What one recorded operation was.</summary>
internal enum OpKind
{
    Cached,
    NonTemporal,
    WriteBack,
    Fence,
}

/// <summary>One recorded operation: its kind, destination (or line) address and width.</summary>
internal readonly record struct Op(OpKind Kind, ulong Address, int Length);

/// <summary>
/// A small simulated memory and log for <see cref="RecordingCpu"/>: a destination window, a source window and a
/// 64-byte fill pattern, at made-up addresses, plus every operation in order.
/// </summary>
internal sealed class Recorder
{
    public const ulong DstBase = 0x1000_0000;
    public const ulong SrcBase = 0x2000_0000;
    public const ulong PatternBase = 0x3000_0000;
    public const int Window = 1024;

    public byte[] Dst { get; } = new byte[Window];

    public byte[] Src { get; } = new byte[Window];

    public byte[] Pattern { get; } = new byte[256];

    public List<Op> Ops { get; } = new(256);

    public byte Read(ulong address)
    {
        if (address >= SrcBase && address < SrcBase + Window)
        {
            return Src[address - SrcBase];
        }

        if (address >= PatternBase && address < PatternBase + 256)
        {
            return Pattern[address - PatternBase];
        }

        throw new InvalidOperationException($"load from 0x{address:x} outside the source and pattern");
    }

    public void Write(ulong address, byte value)
    {
        if (address < DstBase || address >= DstBase + Window)
        {
            throw new InvalidOperationException($"store to 0x{address:x} outside the destination window");
        }

        Dst[address - DstBase] = value;
    }
}

/// <summary>A back-end of the flushcache algorithm that records which instruction covers which byte.</summary>
internal readonly struct RecordingCpu(Recorder recorder, int width) : IFlushCpu
{
    public int NonTemporalWidth => width;

    public int LineSize => 64;

    public void StoreCached(ulong destination, ulong source, int length)
    {
        recorder.Ops.Add(new Op(OpKind.Cached, destination, length));
        Move(destination, source, length);
    }

    public void StoreNonTemporal4(ulong destination, ulong source) => NonTemporal(destination, source, 4);

    public void StoreNonTemporal8(ulong destination, ulong source) => NonTemporal(destination, source, 8);

    public void StoreNonTemporal16(ulong destination, ulong source) => NonTemporal(destination, source, 16);

    public void StoreNonTemporal32(ulong destination, ulong source) => NonTemporal(destination, source, 32);

    public void StoreNonTemporal64(ulong destination, ulong source) => NonTemporal(destination, source, 64);

    /// <summary>Recorded as the four stores it stands for.</summary>
    public void StoreNonTemporalBlock(ulong destination, ulong source)
    {
        for (var i = 0; i < 4; i++)
        {
            NonTemporal(destination + (ulong)(i * width), source + (ulong)(i * width), width);
        }
    }

    public void WriteBackLine(ulong lineAddress) => recorder.Ops.Add(new Op(OpKind.WriteBack, lineAddress, 64));

    public void Fence() => recorder.Ops.Add(new Op(OpKind.Fence, 0, 0));

    private void NonTemporal(ulong destination, ulong source, int length)
    {
        recorder.Ops.Add(new Op(OpKind.NonTemporal, destination, length));
        Move(destination, source, length);
    }

    private void Move(ulong destination, ulong source, int length)
    {
        for (var i = 0; i < length; i++)
        {
            recorder.Write(destination + (ulong)i, recorder.Read(source + (ulong)i));
        }
    }
}
