namespace Coherence.Platform.Addressing;

/// <summary>What a stage-2 MemAttr[3:0] field means, before it is combined with stage 1.</summary>
public enum Stage2AttrKind : byte
{
    /// <summary>A Device type (<see cref="Stage2MemAttr.Type"/>), combined with stage 1 as the more restrictive.</summary>
    Device,

    /// <summary>A Normal type (<see cref="Stage2MemAttr.Type"/>), combined with stage 1 as the more restrictive
    /// (without FWB), or Normal-NC unless stage 1 is Device (FWB 0b101).</summary>
    Normal,

    /// <summary>FWB 0b110: Normal-WB whatever stage 1 says.</summary>
    ForceWriteBack,

    /// <summary>FWB 0b111: stage 1's attributes.</summary>
    AsStage1,

    /// <summary>An encoding the architecture reserves (or makes UNPREDICTABLE), or one the model does not represent
    /// (non-FWB Normal with different inner and outer cacheability, FWB with MemAttr[3] set).</summary>
    Reserved,
}

/// <summary>
/// A stage-2 descriptor's MemAttr[3:0] together with HCR_EL2.FWB, which decides how the bits read (Armv8 VMSA).
/// Without FWB: MemAttr[3:2] is the outer attribute (00 Device, 01 NC, 10 WT, 11 WB) and [1:0] the inner one, or
/// with outer 00 the Device type (00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE). With FWB: MemAttr[2]=0 is Device with
/// [1:0] as above; MemAttr[2]=1 with [1:0] = 01 Normal-NC, 10 forced Normal-WB, 11 stage 1's attributes, 00 reserved.
/// </summary>
/// <param name="Value">MemAttr[3:0], 0 to 15.</param>
/// <param name="Fwb">Whether FEAT_S2FWB is in use (HCR_EL2.FWB=1).</param>
public readonly record struct Stage2MemAttr(byte Value, bool Fwb)
{
    /// <summary>KVM_S2_MEMATTR(NORMAL) without FWB: MT_S2_NORMAL 0xF, inner and outer write-back.</summary>
    public static Stage2MemAttr Normal => new(0xF, false);

    /// <summary>MT_S2_NORMAL_NC 0x5.</summary>
    public static Stage2MemAttr NormalNC => new(0x5, false);

    /// <summary>MT_S2_DEVICE_nGnRE 0x1.</summary>
    public static Stage2MemAttr DeviceNGnRE => new(0x1, false);

    /// <summary>MT_S2_FWB_NORMAL 6: force write-back.</summary>
    public static Stage2MemAttr FwbNormal => new(0x6, true);

    /// <summary>MT_S2_FWB_NORMAL_NC 5.</summary>
    public static Stage2MemAttr FwbNormalNC => new(0x5, true);

    /// <summary>MT_S2_FWB_DEVICE_nGnRE 1.</summary>
    public static Stage2MemAttr FwbDeviceNGnRE => new(0x1, true);

    /// <summary>MT_S2_FWB_AS_S1 7 (newest trees): stage 1's attributes.</summary>
    public static Stage2MemAttr FwbAsS1 => new(0x7, true);

    /// <summary>How the encoding reads.</summary>
    public Stage2AttrKind Kind
    {
        get
        {
            if (Value > 0xF)
            {
                return Stage2AttrKind.Reserved;
            }

            int low = Value & 0x3;
            if (Fwb)
            {
                if ((Value & 0x8) != 0)
                {
                    return Stage2AttrKind.Reserved;
                }

                if ((Value & 0x4) == 0)
                {
                    return Stage2AttrKind.Device;
                }

                return low switch
                {
                    0b01 => Stage2AttrKind.Normal,
                    0b10 => Stage2AttrKind.ForceWriteBack,
                    0b11 => Stage2AttrKind.AsStage1,
                    _ => Stage2AttrKind.Reserved,
                };
            }

            int outer = Value >> 2;
            if (outer == 0)
            {
                return Stage2AttrKind.Device;
            }

            return low == outer ? Stage2AttrKind.Normal : Stage2AttrKind.Reserved;
        }
    }

    /// <summary>The memory type a <see cref="Stage2AttrKind.Device"/> or <see cref="Stage2AttrKind.Normal"/>
    /// encoding names; null for the other kinds.</summary>
    public Arm64MemoryType? Type => Kind switch
    {
        Stage2AttrKind.Device => (Value & 0x3) switch
        {
            0b00 => Arm64MemoryType.DeviceNGnRnE,
            0b01 => Arm64MemoryType.DeviceNGnRE,
            0b10 => Arm64MemoryType.DeviceNGRE,
            _ => Arm64MemoryType.DeviceGRE,
        },
        Stage2AttrKind.Normal => (Value & 0x3) switch
        {
            0b01 => Arm64MemoryType.NormalNC,
            0b10 => Arm64MemoryType.NormalWT,
            _ => Arm64MemoryType.NormalWB,
        },
        _ => null,
    };

    /// <summary>The Linux constant for the encodings KVM uses (MT_S2_NORMAL, MT_S2_FWB_NORMAL, …); null otherwise.</summary>
    public string? KernelName => (Fwb, Value) switch
    {
        (false, 0xF) => "MT_S2_NORMAL",
        (false, 0x5) => "MT_S2_NORMAL_NC",
        (false, 0x1) => "MT_S2_DEVICE_nGnRE",
        (true, 0x6) => "MT_S2_FWB_NORMAL",
        (true, 0x5) => "MT_S2_FWB_NORMAL_NC",
        (true, 0x1) => "MT_S2_FWB_DEVICE_nGnRE",
        (true, 0x7) => "MT_S2_FWB_AS_S1",
        _ => null,
    };

    /// <summary>What the encoding says on its own: a type name, "force Normal-WB", "as stage 1" or "reserved".</summary>
    public string Describe() => Kind switch
    {
        Stage2AttrKind.ForceWriteBack => "force Normal-WB",
        Stage2AttrKind.AsStage1 => "as stage 1",
        Stage2AttrKind.Reserved => "reserved",
        _ => Type!.Value.ShortName(),
    };

    /// <summary>"0xF" style hexadecimal of <see cref="Value"/>.</summary>
    public string Hex => "0x" + Value.ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"FWB 0x6 (force Normal-WB)" or "0xF (Normal-WB)".</summary>
    public override string ToString() => (Fwb ? "FWB " : "") + Hex + " (" + Describe() + ")";
}

/// <summary>Stage 2 encodings and the stage 1 × stage 2 combination (Armv8 VMSA; spec §4.3).</summary>
public static class Arm64Stage2
{
    /// <summary>
    /// The encodings the model represents, in MemAttr order: without FWB the Device types 0x0–0x3 and the Normal
    /// types with equal inner and outer cacheability (0x5 NC, 0xA WT, 0xF WB); with FWB every value 0–7 but the
    /// reserved 0b100.
    /// </summary>
    public static IReadOnlyList<Stage2MemAttr> Encodings(bool fwb)
    {
        var list = new List<Stage2MemAttr>();
        for (int v = 0; v <= 0xF; v++)
        {
            var attr = new Stage2MemAttr((byte)v, fwb);
            if (attr.Kind != Stage2AttrKind.Reserved)
            {
                list.Add(attr);
            }
        }

        return list;
    }

    /// <summary>
    /// The effective memory type of an access that stage 1 (the guest's page tables) gives type
    /// <paramref name="stage1"/> and stage 2 gives <paramref name="stage2"/>. Without FWB the more restrictive wins;
    /// with FWB a Device encoding combines as the more restrictive, 0b101 gives Normal-NC unless stage 1 is Device
    /// (then stage 1's Device type), 0b110 gives Normal-WB whatever stage 1 is, 0b111 gives stage 1.
    /// </summary>
    /// <exception cref="ArgumentException">The encoding is reserved.</exception>
    public static Arm64MemoryType Combine(Arm64MemoryType stage1, Stage2MemAttr stage2) => stage2.Kind switch
    {
        Stage2AttrKind.Device => Arm64MemoryTypes.MoreRestrictive(stage1, stage2.Type!.Value),
        Stage2AttrKind.Normal when !stage2.Fwb => Arm64MemoryTypes.MoreRestrictive(stage1, stage2.Type!.Value),
        Stage2AttrKind.Normal => stage1.IsDevice() ? stage1 : Arm64MemoryType.NormalNC,
        Stage2AttrKind.ForceWriteBack => Arm64MemoryType.NormalWB,
        Stage2AttrKind.AsStage1 => stage1,
        _ => throw new ArgumentException($"stage-2 MemAttr {stage2} is reserved", nameof(stage2)),
    };
}
