namespace Coherence.Platform.Provenance;

/// <summary>
/// Where a byte came from: a store (step, CPU, tenant) or a device event (device, epoch). Ids of origins are
/// handed out by <see cref="OriginTable"/>; caches and devices store the id per byte.
/// </summary>
/// <param name="Kind">What produced the byte.</param>
/// <param name="Step">The machine step (event number) of the store or device event.</param>
/// <param name="Cpu">The CPU that stored, or -1.</param>
/// <param name="Tenant">The tenant label's id in <see cref="OriginTable.TenantName"/>, or 0 for none.</param>
/// <param name="Device">The device index for device events, or -1.</param>
/// <param name="Epoch">The device's erase epoch for device events.</param>
public readonly record struct Origin(OriginKind Kind, long Step, int Cpu, int Tenant, int Device, uint Epoch)
{
    /// <summary>True when consuming the byte raises a machine check.</summary>
    public bool IsPoison => Kind == OriginKind.Poison;
}
