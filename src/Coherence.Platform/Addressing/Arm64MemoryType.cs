namespace Coherence.Platform.Addressing;

/// <summary>
/// AArch64 memory types (Armv8 VMSA). Kept apart from the x86 <see cref="MemoryType"/> so that the PAT types keep
/// their behaviour; <see cref="Arm64MemoryTypes"/> classifies them. The model gives a Normal type one cacheability
/// for both the inner and the outer domain.
/// </summary>
public enum Arm64MemoryType : byte
{
    /// <summary>Normal, inner and outer write-back cacheable (Linux MT_NORMAL).</summary>
    NormalWB,

    /// <summary>Normal, inner and outer write-through cacheable.</summary>
    NormalWT,

    /// <summary>Normal, inner and outer non-cacheable (Linux MT_NORMAL_NC, what Linux calls write-combining).</summary>
    NormalNC,

    /// <summary>Device with gathering, reordering and early write acknowledgement.</summary>
    DeviceGRE,

    /// <summary>Device, non-gathering, with reordering and early write acknowledgement.</summary>
    DeviceNGRE,

    /// <summary>Device, non-gathering, non-reordering, with early write acknowledgement (Linux MT_DEVICE_nGnRE).</summary>
    DeviceNGnRE,

    /// <summary>Device, non-gathering, non-reordering, no early write acknowledgement (Linux MT_DEVICE_nGnRnE).</summary>
    DeviceNGnRnE,
}

/// <summary>Cacheability of one domain of a Normal memory type; Device memory is <see cref="NonCacheable"/>.</summary>
public enum Arm64Cacheability : byte
{
    /// <summary>Not cached.</summary>
    NonCacheable,

    /// <summary>Write-through cacheable.</summary>
    WriteThrough,

    /// <summary>Write-back cacheable.</summary>
    WriteBack,
}

/// <summary>Classification of <see cref="Arm64MemoryType"/> values and the "more restrictive" relation.</summary>
public static class Arm64MemoryTypes
{
    /// <summary>Every type, least restrictive first (Normal-WB … Device-nGnRnE).</summary>
    public static IReadOnlyList<Arm64MemoryType> All { get; } =
    [
        Arm64MemoryType.NormalWB, Arm64MemoryType.NormalWT, Arm64MemoryType.NormalNC, Arm64MemoryType.DeviceGRE,
        Arm64MemoryType.DeviceNGRE, Arm64MemoryType.DeviceNGnRE, Arm64MemoryType.DeviceNGnRnE,
    ];

    /// <summary>True for the Device-* types.</summary>
    public static bool IsDevice(this Arm64MemoryType type) =>
        type is Arm64MemoryType.DeviceGRE or Arm64MemoryType.DeviceNGRE or Arm64MemoryType.DeviceNGnRE
            or Arm64MemoryType.DeviceNGnRnE;

    /// <summary>True for the Normal-* types.</summary>
    public static bool IsNormal(this Arm64MemoryType type) => !type.IsDevice();

    /// <summary>True when loads of this type may allocate in and hit the CPU caches (Normal-WB, Normal-WT).</summary>
    public static bool IsCacheable(this Arm64MemoryType type) => type.Cacheability() != Arm64Cacheability.NonCacheable;

    /// <summary>The cacheability of the type; Device and Normal-NC are non-cacheable.</summary>
    public static Arm64Cacheability Cacheability(this Arm64MemoryType type) => type switch
    {
        Arm64MemoryType.NormalWB => Arm64Cacheability.WriteBack,
        Arm64MemoryType.NormalWT => Arm64Cacheability.WriteThrough,
        _ => Arm64Cacheability.NonCacheable,
    };

    /// <summary>G: several accesses may be merged into one (all Normal types and Device-GRE).</summary>
    public static bool AllowsGathering(this Arm64MemoryType type) =>
        type.IsNormal() || type == Arm64MemoryType.DeviceGRE;

    /// <summary>R: accesses to the same device may be reordered (Normal, Device-GRE, Device-nGRE).</summary>
    public static bool AllowsReordering(this Arm64MemoryType type) =>
        type.IsNormal() || type is Arm64MemoryType.DeviceGRE or Arm64MemoryType.DeviceNGRE;

    /// <summary>E: a write may be acknowledged by a point before the endpoint (all but Device-nGnRnE).</summary>
    public static bool AllowsEarlyWriteAck(this Arm64MemoryType type) => type != Arm64MemoryType.DeviceNGnRnE;

    /// <summary>
    /// Rank in the architecture's order, 0 for the least restrictive (Normal-WB) to 6 for the most (Device-nGnRnE):
    /// Device-nGnRnE, nGnRE, nGRE, GRE, Normal-NC, Normal-WT, Normal-WB, most restrictive first.
    /// </summary>
    public static int Restrictiveness(this Arm64MemoryType type) => type switch
    {
        Arm64MemoryType.NormalWB => 0,
        Arm64MemoryType.NormalWT => 1,
        Arm64MemoryType.NormalNC => 2,
        Arm64MemoryType.DeviceGRE => 3,
        Arm64MemoryType.DeviceNGRE => 4,
        Arm64MemoryType.DeviceNGnRE => 5,
        Arm64MemoryType.DeviceNGnRnE => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an arm64 memory type"),
    };

    /// <summary>The more restrictive of two types (how stage 1 and stage 2 combine without FEAT_S2FWB).</summary>
    public static Arm64MemoryType MoreRestrictive(Arm64MemoryType a, Arm64MemoryType b) =>
        a.Restrictiveness() >= b.Restrictiveness() ? a : b;

    /// <summary>The architecture's spelling: Normal-WB, Normal-WT, Normal-NC, Device-GRE, Device-nGRE, Device-nGnRE, Device-nGnRnE.</summary>
    public static string ShortName(this Arm64MemoryType type) => type switch
    {
        Arm64MemoryType.NormalWB => "Normal-WB",
        Arm64MemoryType.NormalWT => "Normal-WT",
        Arm64MemoryType.NormalNC => "Normal-NC",
        Arm64MemoryType.DeviceGRE => "Device-GRE",
        Arm64MemoryType.DeviceNGRE => "Device-nGRE",
        Arm64MemoryType.DeviceNGnRE => "Device-nGnRE",
        Arm64MemoryType.DeviceNGnRnE => "Device-nGnRnE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an arm64 memory type"),
    };
}
