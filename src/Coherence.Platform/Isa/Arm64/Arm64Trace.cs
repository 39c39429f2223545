using System.Globalization;
using Coherence.Platform.Addressing;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.Arm64;

/// <summary>How AArch64 events carry their instruction and memory type, and how a trace line reads them.</summary>
public static class Arm64Trace
{
    /// <summary>An AArch64 <see cref="EventKind.Fault"/> event's Detail is this plus the <see cref="AccessOutcome"/>
    /// (x86 fault events use small codes of their own).</summary>
    public const long FaultDetail = 0x100;

    /// <summary>Packs an instruction, the access's effective memory type and an extra value (a barrier kind) into an
    /// event's Detail.</summary>
    public static long Pack(Arm64Instruction instruction, Arm64MemoryType type, int extra = 0) =>
        (long)instruction | ((long)type << 8) | ((long)extra << 16);

    /// <summary>The instruction of an <see cref="EventKind.Arm64Access"/> or <see cref="EventKind.Arm64Maintenance"/> event.</summary>
    public static Arm64Instruction InstructionOf(in MachineEvent e) => (Arm64Instruction)(e.Detail & 0xFF);

    /// <summary>The effective memory type of an <see cref="EventKind.Arm64Access"/> event.</summary>
    public static Arm64MemoryType TypeOf(in MachineEvent e) => (Arm64MemoryType)((e.Detail >> 8) & 0xFF);

    /// <summary>True for a store (STR or DC ZVA) that bypassed the caches: it wrote (or will write) memory without
    /// updating any cached copy, a device-side change as far as those copies are concerned.</summary>
    public static bool IsNonCoherentStore(in MachineEvent e) =>
        e.Kind == EventKind.Arm64Access && InstructionOf(e) is Arm64Instruction.Str or Arm64Instruction.DcZva && !TypeOf(e).IsCacheable();

    /// <summary>The body of a trace line for an AArch64 event (after the tag and CPU).</summary>
    public static string Describe(in MachineEvent e, Func<uint, string> describeOrigin)
    {
        var ins = InstructionOf(e);
        var at = "0x" + e.Address.ToString("x", CultureInfo.InvariantCulture);
        if (e.Kind == EventKind.Arm64Maintenance)
        {
            var option = (Arm64BarrierKind)((e.Detail >> 16) & 0xFF);
            return ins switch
            {
                Arm64Instruction.Dsb or Arm64Instruction.Dmb => $"{ins.Mnemonic()} {option.Option()}",
                Arm64Instruction.DcCvap => $"DC CVAP line {at}: clean to the point of persistence",
                Arm64Instruction.DcCivac => $"DC CIVAC line {at}: clean and invalidate to the point of coherence",
                Arm64Instruction.DcIvac => $"DC IVAC line {at}: invalidate, discarding dirty data",
                _ => $"DC CVAC line {at}: clean to the point of coherence",
            };
        }
        var type = TypeOf(e);
        var what = ins.Mnemonic(); // LDR, STR, fetch or DC ZVA: the instructions that make access events
        var how = (ins, type) switch
        {
            (Arm64Instruction.Ldr or Arm64Instruction.Fetch, _) when type.IsCacheable() => "through the caches, first byte from " + describeOrigin(e.Origin),
            (Arm64Instruction.Ldr or Arm64Instruction.Fetch, _) => "from memory, not snooping the caches; first byte from " + describeOrigin(e.Origin),
            (_, Arm64MemoryType.NormalWB) => "into the L1",
            (_, Arm64MemoryType.NormalWT) => "into the L1 and through to memory",
            (_, Arm64MemoryType.NormalNC or Arm64MemoryType.DeviceGRE) => "gathers in a write-combining buffer; cached copies are not updated",
            _ => "straight to the device (no gathering); cached copies are not updated",
        };
        return $"{what} {e.Length} bytes at {at} ({type.ShortName()}) {how}";
    }
}
