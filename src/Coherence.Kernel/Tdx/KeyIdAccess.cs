using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Isa.X86;

namespace Coherence.Kernel.Tdx;

/// <summary>
/// Runs CPU instructions through a KeyID: the TDX module writing PAMT with the global KeyID, a TD's vCPU writing its
/// private memory with its HKID. Each KeyID gets an address space identity-mapping every physical range (write-back)
/// with the KeyID in the physical address's upper bits; the CPU uses it for the duration of the call.
/// </summary>
public sealed class KeyIdAccess(Machine machine)
{
    private readonly Dictionary<int, AddressSpace> spaces = [];

    /// <summary>The address space of <paramref name="keyId"/> (0 is the kernel's own direct map).</summary>
    public AddressSpace Space(int keyId)
    {
        if (keyId == 0)
        {
            return machine.DefaultSpace;
        }
        if (!spaces.TryGetValue(keyId, out var space))
        {
            space = new AddressSpace($"keyid{keyId}");
            foreach (var r in machine.Map.Resources)
            {
                space.Map(r.Start, KeyIds.With(r.Start, keyId), r.Size, MemoryType.WriteBack);
            }
            spaces[keyId] = space;
        }
        return space;
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="cpu"/> with its accesses going through <paramref name="keyId"/>.</summary>
    public void Run(int cpu, int keyId, Action<X86Cpu> body)
    {
        var core = machine.Cpus[cpu];
        var saved = core.AddressSpace;
        core.AddressSpace = Space(keyId);
        try
        {
            body(machine.X86[cpu]);
        }
        finally
        {
            core.AddressSpace = saved;
        }
    }
}
