using Coherence.Platform.Addressing;

namespace Coherence.Platform.Isa.Arm64;

public sealed partial class Arm64Cpu
{
    /// <summary>
    /// LDR (1, 2, 4, 8 bytes) or LDR Q / LDP X (16 bytes) at <paramref name="va"/>, reporting each byte's origin in
    /// <paramref name="origins"/> (may be empty). Normal-WB and Normal-WT read through the caches; Normal-NC and
    /// Device read the device without snooping the caches. On Normal memory an access may be unaligned and cross a
    /// line; on Device memory it must be aligned to its size (<see cref="AccessOutcome.AlignmentFault"/>). A poisoned
    /// byte raises a machine check (an external abort).
    /// </summary>
    public AccessOutcome Load(ulong va, Span<byte> data, Span<uint> origins = default)
    {
        CheckSize(data.Length);
        Span<uint> o = origins.IsEmpty ? stackalloc uint[data.Length] : origins[..data.Length];
        machine.BeginStep();
        var outcome = LoadAccess(va, data, o, Stage2Permissions.Read, Arm64Instruction.Ldr);
        machine.EndStep();
        return outcome;
    }

    /// <summary>
    /// A run of loads issued back to back in one machine step, as a memcpy from <paramref name="va"/> does: 8-byte
    /// LDRs while 8 bytes remain, then 4, 2 and 1. Stops at the first access that does not complete and returns its
    /// outcome (the bytes before it are filled in).
    /// </summary>
    public AccessOutcome LoadSequence(ulong va, Span<byte> data, Span<uint> origins = default)
    {
        if (data.IsEmpty)
        {
            return AccessOutcome.Ok;
        }
        Span<uint> o = !origins.IsEmpty ? origins[..data.Length] : data.Length <= 512 ? stackalloc uint[data.Length] : new uint[data.Length];
        machine.BeginStep();
        var outcome = AccessOutcome.Ok;
        for (var done = 0; done < data.Length && outcome == AccessOutcome.Ok;)
        {
            var n = RunAccessSize(data.Length - done);
            outcome = LoadAccess(va + (ulong)done, data.Slice(done, n), o.Slice(done, n), Stage2Permissions.Read, Arm64Instruction.Ldr);
            done += n;
        }
        machine.EndStep();
        return outcome;
    }

    /// <summary>
    /// An instruction fetch of the 4-byte word at <paramref name="va"/> (little-endian into <paramref name="word"/>).
    /// It needs execute permission at stage 2; from Device memory it is a permission fault (Device is never
    /// executable); a <paramref name="va"/> not 4-byte aligned is a PC alignment fault. There is no instruction
    /// cache: the word is read like a load.
    /// </summary>
    public AccessOutcome Fetch(ulong va, out uint word)
    {
        machine.BeginStep();
        Span<byte> b = stackalloc byte[4];
        Span<uint> o = stackalloc uint[4];
        var outcome = LoadAccess(va, b, o, Stage2Permissions.Execute, Arm64Instruction.Fetch);
        machine.EndStep();
        word = outcome == AccessOutcome.Ok ? BitConverter.ToUInt32(b) : 0;
        return outcome;
    }

    private AccessOutcome LoadAccess(ulong va, Span<byte> data, Span<uint> origins, Stage2Permissions need, Arm64Instruction instruction)
    {
        var length = data.Length;
        var outcome = Translate(va, need, out var pa, out var type);
        if (outcome != AccessOutcome.Ok)
        {
            return Fault(va, length, outcome);
        }
        LastAccess = new Arm64Translation(va, pa, type);
        if (instruction == Arm64Instruction.Fetch && type.IsDevice())
        {
            return Fault(va, length, AccessOutcome.PermissionFault);
        }
        if ((type.IsDevice() || instruction == Arm64Instruction.Fetch) && Misaligned(va, length))
        {
            return Fault(va, length, AccessOutcome.AlignmentFault);
        }
        var first = Math.Min(Line - (int)(va & (Line - 1)), length);
        ulong pa2 = 0;
        var type2 = type;
        if (first < length)
        {
            outcome = Translate(va + (ulong)first, need, out pa2, out type2);
            if (outcome != AccessOutcome.Ok)
            {
                return Fault(va + (ulong)first, length - first, outcome);
            }
        }
        LoadChunk(pa, type, data[..first], origins[..first]);
        EmitAccess(instruction, pa, first, origins[0], type);
        if (first < length)
        {
            LoadChunk(pa2, type2, data[first..], origins[first..]);
            EmitAccess(instruction, pa2, length - first, origins[first], type2);
        }
        var poisoned = machine.FirstPoison(origins);
        if (poisoned >= 0)
        {
            machine.RecordMachineCheck(core.Index, poisoned < first ? pa + (ulong)poisoned : pa2 + (ulong)(poisoned - first), origins[poisoned]);
            return AccessOutcome.MachineCheck;
        }
        return AccessOutcome.Ok;
    }

    private void LoadChunk(ulong pa, Arm64MemoryType type, Span<byte> dst, Span<uint> dstOrigins)
    {
        var line = pa & ~(ulong)(Line - 1);
        var off = (int)(pa - line);
        DrainWcFor(line);
        if (type.IsCacheable())
        {
            memory.LoadCached(core, line, off, dst, dstOrigins);
            return;
        }
        // Non-cacheable: straight to the device (through its write-pending queue), not snooping any cache.
        machine.ReadDeviceLineBytes(line, scratch, scratchOrigins);
        ((Span<byte>)scratch).Slice(off, dst.Length).CopyTo(dst);
        ((Span<uint>)scratchOrigins).Slice(off, dst.Length).CopyTo(dstOrigins);
        ReadTransactions++;
    }
}
