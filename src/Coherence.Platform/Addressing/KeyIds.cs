namespace Coherence.Platform.Addressing;

/// <summary>
/// Memory-encryption KeyIDs (MKTME/TDX) carried in the upper bits of a physical address, as the hardware does: the
/// caches see <c>pa | keyId &lt;&lt; 46</c> as a different line from <c>pa</c>, so lines of one page cached under two
/// KeyIDs are aliases that do not snoop each other, and a write-back carries the KeyID it was cached with. The
/// address map and the devices see only the physical address.
/// </summary>
/// <remarks>
/// Simplification: the KeyID field sits at a fixed bit 46 (6 bits, 64 KeyIDs) whatever the CPU; real parts take the
/// top bits below MAXPHYADDR, as many as the BIOS configured. Physical ranges must lie below 2^46 (64 TiB).
/// </remarks>
public static class KeyIds
{
    /// <summary>The lowest bit of the KeyID field.</summary>
    public const int Shift = 46;

    /// <summary>The number of KeyID bits.</summary>
    public const int Bits = 6;

    /// <summary>The number of KeyIDs (0 is the host's, unencrypted KeyID).</summary>
    public const int Count = 1 << Bits;

    /// <summary>The bits of an address that name physical memory.</summary>
    public const ulong PhysicalMask = (1UL << Shift) - 1;

    /// <summary>The KeyID an address carries.</summary>
    public static int Of(ulong address) => (int)((address >> Shift) & (Count - 1));

    /// <summary>The physical address without its KeyID.</summary>
    public static ulong Strip(ulong address) => address & PhysicalMask;

    /// <summary><paramref name="pa"/> tagged with <paramref name="keyId"/>; throws naming a KeyID out of range.</summary>
    public static ulong With(ulong pa, int keyId)
    {
        if ((uint)keyId >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(keyId), $"KeyID {keyId} must be between 0 and {Count - 1}");
        }
        return Strip(pa) | ((ulong)keyId << Shift);
    }
}
