using Coherence.Kernel.Boot;
using Coherence.Kernel.Kvm;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// KVM on an arm64 scenario platform: the host (<see cref="KvmArm64"/>) under the execution's <c>kvm-s2</c> policy,
/// with the capabilities the kernel detects from the platform's features and the <c>ram</c> ranges as its linear map
/// (<c>pfn_is_map_memory</c>); one VM, whose stage-2 entries are mirrored into the hardware table that the
/// platform's guest CPUs walk (<see cref="Arm64Stage2Table"/>); the VMM's VMAs by name; results and report lines of
/// the KVM and arm64 access steps.
/// </summary>
public sealed class Arm64KvmContext
{
    private readonly Machine machine;
    private readonly Dictionary<string, Vma> vmas = new(StringComparer.Ordinal);

    /// <summary>Creates the host and its VM on <paramref name="machine"/> under <paramref name="policies"/>.</summary>
    public Arm64KvmContext(Machine machine, IReadOnlyDictionary<string, string> policies)
    {
        this.machine = machine;
        var name = policies.GetValueOrDefault("kvm-s2", Policies.Find("kvm-s2")!.Default);
        if (!KvmS2Policies.TryParse(name, out var policy))
        {
            throw new ArgumentException($"unknown kvm-s2 policy '{name}'");
        }
        Host = new KvmArm64(policy, Arm64CpuFeatureSet.Detect(machine.Config.Arm64Features));
        foreach (var r in machine.Map.Resources)
        {
            if (r.Kind == ResourceKind.SystemRam)
            {
                Host.AddLinearMap(r.Start / Vma.PageSize, r.Size / Vma.PageSize);
            }
        }
        Vm = Host.CreateVm();
        Table = AttachGuests(machine);
    }

    /// <summary>The host.</summary>
    public KvmArm64 Host { get; }

    /// <summary>The VM every guest CPU of the scenario runs.</summary>
    public KvmVm Vm { get; }

    /// <summary>The hardware stage-2 table of <see cref="Vm"/>.</summary>
    public Arm64Stage2Table Table { get; }

    /// <summary>Results of labelled KVM and arm64 steps (0 or a negative errno).</summary>
    public Dictionary<string, int> Results { get; } = new(StringComparer.Ordinal);

    /// <summary>Report lines of the arm64 steps (faults, transactions, stage-2 fault results), judged by
    /// <c>expect message</c> like kernel log lines.</summary>
    public List<string> Log { get; } = [];

    /// <summary>
    /// On an arm64 platform, gives every KVM guest CPU the VM's stage-2 table (one table, created on first call and
    /// shared); returns it. Called when the machine is built, so guest accesses abort to the hypervisor from the start.
    /// </summary>
    public static Arm64Stage2Table AttachGuests(Machine machine)
    {
        Arm64Stage2Table? table = null;
        if (machine.Config.InstructionSet != InstructionSet.Arm64)
        {
            return new Arm64Stage2Table();
        }
        foreach (var cpu in machine.Arm64)
        {
            table ??= cpu.Stage2;
        }
        table ??= new Arm64Stage2Table();
        foreach (var cpu in machine.Arm64)
        {
            if (cpu.Core.Guest == GuestKind.KvmGuest)
            {
                cpu.Stage2 = table;
            }
        }
        return table;
    }

    /// <summary>The VMA named <paramref name="name"/>.</summary>
    public Vma VmaNamed(string name) =>
        vmas.TryGetValue(name, out var v) ? v : throw new ArgumentException($"VMA '{name}' is not mapped yet: its 'kvm vma' step must come first");

    /// <summary>mmap: adds the VMA to the VMM's address space and maps it in every host CPU's stage 1 with the memory
    /// type its page protection selects.</summary>
    public void Mmap(string name, Vma vma)
    {
        if (vmas.ContainsKey(name))
        {
            throw new ArgumentException($"VMA '{name}' is already mapped");
        }
        Host.Mmap(vma);
        vmas[name] = vma;
        foreach (var cpu in machine.Arm64)
        {
            if (cpu.Stage2 is null)
            {
                cpu.Stage1.Map(vma.Start, vma.FirstPfn * Vma.PageSize, vma.Length, vma.PageProt.MemoryType);
            }
        }
    }

    /// <summary>KVM_SET_USER_MEMORY_REGION, then the hardware table follows the VM's entries (a deleted slot's go).</summary>
    public Errno SetMemslot(int slot, ulong gpa, ulong size, ulong hva, KvmMemFlags flags)
    {
        var e = Vm.SetUserMemoryRegion(slot, gpa, size, hva, flags);
        Sync();
        return e;
    }

    /// <summary>
    /// Resolves the stage-2 abort a guest CPU just took, as <c>kvm_handle_guest_abort</c> does: the fault path of the
    /// VM under its policy, then the platform's table updated and, for a cacheable mapping without FWB, the page
    /// cleaned to the point of coherence on that CPU (<c>clean_dcache_guest_page</c>).
    /// </summary>
    public Stage2FaultResult Resolve(Arm64Cpu cpu, Stage2Abort abort)
    {
        var access = abort.Access switch
        {
            Stage2Permissions.Write => Stage2Access.Write,
            Stage2Permissions.Execute => Stage2Access.Exec,
            _ => Stage2Access.Read,
        };
        var r = Vm.HandleStage2Fault(new Stage2FaultRequest(abort.Ipa, access) { PermissionFault = abort.Permission });
        Sync();
        if (r.DcacheCleanedToPoc && r.Pte is { } pte)
        {
            cpu.CleanToPocPhysical(pte.Pfn * Vma.PageSize, Vma.PageSize);
        }
        return r;
    }

    /// <summary>Rewrites the hardware table from the VM's entries.</summary>
    private void Sync()
    {
        Table.Clear();
        foreach (var pte in Vm.Stage2Entries)
        {
            var perms = Stage2Permissions.None;
            perms |= pte.Prot.HasFlag(KvmPgtableProt.R) ? Stage2Permissions.Read : 0;
            perms |= pte.Prot.HasFlag(KvmPgtableProt.W) ? Stage2Permissions.Write : 0;
            perms |= pte.Prot.HasFlag(KvmPgtableProt.X) ? Stage2Permissions.Execute : 0;
            Table.Set(pte.Gfn * Vma.PageSize, new Stage2Entry(pte.Pfn * Vma.PageSize, pte.MemAttr, perms));
        }
    }
}
