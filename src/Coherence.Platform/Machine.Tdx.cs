using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;
using Coherence.Platform.Tdx;

namespace Coherence.Platform;

/// <summary>
/// TDX memory as the memory controller sees it: each line of memory has a TD bit (here: the owning private KeyID),
/// set by a write through a TDX-private KeyID and cleared by a write through any other KeyID.
/// </summary>
/// <remarks>
/// Modelled (spec 3.1): a full-line write from outside the TD converts a TD-private line back to shared memory; on a
/// platform with the partial-write erratum a partial write (MOVNTI, UC/WC stores, partial DMA) poisons it instead, and
/// the next read consumes poison (machine check). Reading a TD-private line through another KeyID returns zeros; a
/// TD reading a line it does not own (TD bit clear, or another TD's) consumes poison, as the integrity check fails.
/// Simplifications: no encryption (a line keeps its plaintext bytes; a partial write without the erratum leaves the
/// unwritten bytes reading as zero, standing for ciphertext under the wrong key); ownership is per 64-byte line and
/// lives in the machine, not in ECC bits of the device; it is lost with the device's contents (erase, power loss).
/// </remarks>
public sealed partial class Machine
{
    private readonly Dictionary<ulong, byte> tdOwner = [];

    /// <summary>The TDX platform, or null.</summary>
    public TdxPlatform? Tdx => Config.Tdx;

    /// <summary>The private KeyID that owns physical line <paramref name="pa"/>, or 0 when the line is shared memory.</summary>
    public int TdOwnerOf(ulong pa) => tdOwner.TryGetValue(KeyIds.Strip(pa) & ~63UL, out var k) ? k : 0;

    /// <summary>The number of TD-private lines.</summary>
    public int TdPrivateLines => tdOwner.Count;

    /// <summary>
    /// TDH.PHYMEM.PAGE.WBINVD: writes back and invalidates, in every cache, the lines of the page at
    /// <paramref name="pa"/> cached under <paramref name="keyId"/> (other KeyIDs' aliases stay). Returns the lines
    /// that were cached. Throws when the platform has no TDX.
    /// </summary>
    public int WbinvdPageKeyId(int cpu, ulong pa, int keyId)
    {
        RequireTdx();
        var page = KeyIds.Strip(pa) & ~(AddressSpace.PageSize - 1);
        CheckPhysical(page, AddressSpace.PageSize);
        BeginStep();
        var n = 0;
        for (var line = page; line < page + AddressSpace.PageSize; line += 64)
        {
            if (Memory.FlushLine(KeyIds.With(line, keyId), retain: false, cpu))
            {
                n++;
            }
        }
        EndStep();
        return n;
    }

    private void RequireTdx()
    {
        if (Config.Tdx is null)
        {
            throw new InvalidOperationException("the platform has no TDX (PlatformConfig.Tdx is null)");
        }
    }

    /// <summary>Applies the TD bit to a line just read from memory through <paramref name="keyId"/>.</summary>
    private OriginGrain FilterTdRead(ulong pa, int keyId, MemoryDevice device, Span<byte> data, Span<uint> ids, OriginGrain grain)
    {
        var tdx = Config.Tdx!;
        var owner = tdOwner.TryGetValue(pa, out var k) ? k : 0;
        if (owner == keyId || (owner == 0 && !tdx.IsPrivate(keyId)))
        {
            return grain;
        }
        data[..64].Clear();
        ids[0] = owner != 0 && !tdx.IsPrivate(keyId) ? device.TdPrivateOrigin : device.PoisonOrigin;
        return OriginGrain.Line;
    }

    /// <summary>What the TD bit makes of a write.</summary>
    private enum TdWriteAction
    {
        /// <summary>The write lands as it is.</summary>
        Write,

        /// <summary>The write poisoned the line instead of landing (the erratum).</summary>
        Poisoned,

        /// <summary>A partial write converted the line (no erratum): the bytes it did not write now read as zero.</summary>
        WriteConverted,
    }

    /// <summary>The TD bit's part of a write of the <paramref name="mask"/> bytes of line <paramref name="pa"/> through <paramref name="keyId"/>.</summary>
    private TdWriteAction TdWrite(ulong pa, int keyId, MemoryDevice device, ulong offset, ulong mask, int cpu)
    {
        var tdx = Config.Tdx!;
        var owner = tdOwner.TryGetValue(pa, out var k) ? k : 0;
        if (tdx.IsPrivate(keyId))
        {
            if (owner != keyId)
            {
                tdOwner[pa] = (byte)keyId;
                EmitTd(EventKind.TdOwnership, pa, 64, device, cpu, keyId);
            }
            return TdWriteAction.Write;
        }
        if (owner == 0)
        {
            return TdWriteAction.Write;
        }
        tdOwner.Remove(pa);
        if (mask == ulong.MaxValue)
        {
            EmitTd(EventKind.TdOwnership, pa, 64, device, cpu, 0);
            return TdWriteAction.Write;
        }
        if (tdx.PartialWriteErratum)
        {
            Span<byte> zero = stackalloc byte[64];
            ReadOnlySpan<uint> poison = [device.PoisonOrigin];
            device.Write(offset, zero, poison, OriginGrain.Line, ulong.MaxValue, queued: false);
            EmitTd(EventKind.TdPartialWritePoison, pa, System.Numerics.BitOperations.PopCount(mask), device, cpu, owner);
            return TdWriteAction.Poisoned;
        }
        EmitTd(EventKind.TdOwnership, pa, 64, device, cpu, 0);
        return TdWriteAction.WriteConverted;
    }

    /// <summary>Builds the full line a converting partial write leaves: its bytes, and zeros (ciphertext under the TD's key) elsewhere.</summary>
    private static void MergeConverted(MemoryDevice device, ReadOnlySpan<byte> data, ReadOnlySpan<uint> ids, OriginGrain grain, ulong mask, Span<byte> merged, Span<uint> mergedIds)
    {
        grain.Expand(ids, 0, mergedIds[..64]);
        for (var i = 0; i < 64; i++)
        {
            if ((mask >> i & 1) == 0)
            {
                merged[i] = 0;
                mergedIds[i] = device.TdPrivateOrigin;
            }
            else
            {
                merged[i] = data[i];
            }
        }
    }

    /// <summary>Counts the written bytes that are older than the media bytes they replace (provenance, TDX platforms only).</summary>
    private void CheckOverwroteNewer(ulong line, MemoryDevice device, ulong offset, ReadOnlySpan<uint> ids, OriginGrain grain, ulong mask, int cpu)
    {
        Span<byte> old = stackalloc byte[64];
        Span<uint> oldOrigins = stackalloc uint[64];
        device.ReadMedia(offset, old, oldOrigins);
        var older = 0;
        uint first = 0;
        // Bytes come in runs of one origin pair (a line written by one store, replacing one store's bytes): look each
        // distinct pair up once.
        uint lastOld = 0, lastIncoming = 0;
        var lastOlder = false;
        for (var i = 0; i < 64; i++)
        {
            if ((mask >> i & 1) == 0)
            {
                continue;
            }
            var incoming = grain.At(ids, i);
            if (oldOrigins[i] != lastOld || incoming != lastIncoming || lastOld == 0)
            {
                lastOld = oldOrigins[i];
                lastIncoming = incoming;
                var now = Origins[lastOld];
                lastOlder = now.Kind is OriginKind.Store or OriginKind.DeviceWrite && Origins[incoming].Step < now.Step;
            }
            if (lastOlder)
            {
                if (older++ == 0)
                {
                    first = incoming;
                }
            }
        }
        if (older > 0)
        {
            Emit(new MachineEvent(EventKind.OverwroteNewer, Step, cpu, null, line, 64, device.Index, true, first, older));
        }
    }

    private void EmitTd(EventKind kind, ulong pa, int length, MemoryDevice device, int cpu, long detail)
    {
        if (Observed)
        {
            Emit(new MachineEvent(kind, Step, cpu, null, pa, length, device.Index, false, 0, detail));
        }
    }

    /// <summary>Forgets the TD bits of every line of <paramref name="device"/> (its contents were replaced).</summary>
    private void ForgetTdOwnership(MemoryDevice device)
    {
        if (tdOwner.Count == 0)
        {
            return;
        }
        var gone = new List<ulong>();
        foreach (var pa in tdOwner.Keys)
        {
            if (Map.Find(pa)?.Device == device)
            {
                gone.Add(pa);
            }
        }
        foreach (var pa in gone)
        {
            tdOwner.Remove(pa);
        }
    }

    /// <summary>Hashes the TD bits in address order.</summary>
    private void HashTdOwnership(ref State.StateHasher h)
    {
        h.Add((ulong)tdOwner.Count);
        if (tdOwner.Count == 0)
        {
            return;
        }
        var keys = new List<ulong>(tdOwner.Keys);
        keys.Sort();
        foreach (var pa in keys)
        {
            h.Add(pa | ((ulong)tdOwner[pa] << KeyIds.Shift));
        }
    }
}
