using System.Runtime.InteropServices;

namespace Coherence.Native.Memory;

/// <summary>
/// Native memory aligned to a cache line (<see cref="NativeMemory.AlignedAlloc"/>), freed on
/// <see cref="Dispose"/>. Invariant: <see cref="Address"/> is a multiple of <see cref="Alignment"/> and the
/// <see cref="Length"/> bytes after it stay valid until disposal.
/// </summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    private byte* pointer;

    /// <summary>Allocates <paramref name="length"/> bytes aligned to <paramref name="alignment"/> (a power of two), zeroed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or the alignment is not a power of two.</exception>
    public AlignedBuffer(long length, int alignment = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "the alignment must be a power of two");
        }

        pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), (nuint)alignment);
        NativeMemory.Clear(pointer, (nuint)Math.Max(length, 1));
        Length = length;
        Alignment = alignment;
    }

    /// <summary>The size in bytes.</summary>
    public long Length { get; }

    /// <summary>The alignment of <see cref="Address"/>.</summary>
    public int Alignment { get; }

    /// <summary>The first byte's address.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public nint Address => (nint)Pointer;

    /// <summary>The first byte.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(pointer == null, this);
            return pointer;
        }
    }

    /// <summary>The bytes (at most <see cref="int.MaxValue"/> of them).</summary>
    public Span<byte> Span => new(Pointer, (int)Math.Min(Length, int.MaxValue));

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        if (pointer != null)
        {
            NativeMemory.AlignedFree(pointer);
            pointer = null;
        }
    }
}
