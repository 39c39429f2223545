using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;

namespace Coherence.Checking.Scenarios;

/// <summary>Builds a <see cref="Machine"/> from a scenario's platform description; platform errors become
/// <see cref="ScenarioError"/>s located at the offending declaration.</summary>
public static class MachineBuilder
{
    /// <summary>Builds the machine; throws <see cref="ScenarioError"/> on bad values.</summary>
    public static Machine Build(ScenarioSpec spec, IChooser? chooser = null)
    {
        Machine machine;
        try
        {
            machine = new Machine(spec.Platform, chooser);
        }
        catch (ArgumentException e)
        {
            throw new ScenarioError(new SourceSpan(spec.File, 1, 1), e.Message, e);
        }
        foreach (var d in spec.Devices)
        {
            Wrap(d.Where, () => machine.AddDevice(d.Name, d.Kind, d.Size, d.Persistent, d.LockedReads, d.Fill));
        }
        foreach (var r in spec.Ranges)
        {
            Wrap(r.Where, () => machine.AddResource(r.Name, r.Start, r.Size, r.Kind, machine.Device(r.Device), r.DeviceOffset));
        }
        var spaces = new Dictionary<int, AddressSpace>();
        foreach (var m in spec.Mappings)
        {
            if (m.Cpu >= machine.Cpus.Count)
            {
                throw new ScenarioError(m.Where, $"cpu{m.Cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
            }
            if (m.Arm64Type is { } arm64Type)
            {
                Wrap(m.Where, () => machine.Arm64[m.Cpu].Stage1.Map(m.VirtualAddress, m.PhysicalAddress, m.Size, arm64Type));
                continue;
            }
            if (!spaces.TryGetValue(m.Cpu, out var space))
            {
                space = new AddressSpace($"cpu{m.Cpu}");
                foreach (var identity in machine.DefaultSpace.Mappings)
                {
                    space.Map(identity.VirtualStart, identity.PhysicalStart, identity.Size, identity.Type);
                }
                spaces[m.Cpu] = space;
                machine.Cpus[m.Cpu].AddressSpace = space;
            }
            Wrap(m.Where, () => space.Map(m.VirtualAddress, m.PhysicalAddress, m.Size, m.Type));
        }
        foreach (var g in spec.Guests)
        {
            if (g.Cpu >= machine.Cpus.Count)
            {
                throw new ScenarioError(g.Where, $"cpu{g.Cpu} does not exist (the platform has {machine.Cpus.Count} CPUs)");
            }
            machine.Cpus[g.Cpu].Guest = g.Kind;
            machine.Cpus[g.Cpu].WbinvdPassthrough = g.WbinvdPassthrough;
        }
        Arm64KvmContext.AttachGuests(machine);
        return machine;
    }

    private static void Wrap(SourceSpan where, Action action)
    {
        try
        {
            action();
        }
        catch (ArgumentException e)
        {
            throw new ScenarioError(where, e.Message, e);
        }
    }
}
