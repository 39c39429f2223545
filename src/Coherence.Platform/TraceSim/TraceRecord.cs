using System.Runtime.InteropServices;

namespace Coherence.Platform.TraceSim;

/// <summary>One parsed trace record: an operation on <see cref="Size"/> bytes at <see cref="Address"/> by core
/// <see cref="Core"/>. 16 bytes, so a batch of records is a flat array.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TraceRecord(ulong Address, uint Size, TraceOp Op, ushort Core = 0)
{
    /// <summary>The size of a record in memory, in bytes.</summary>
    public const int SizeInBytes = 16;
}
