using Coherence.Kernel.Kexec;
using Coherence.Kernel.Tdx;

namespace Coherence.Checking.Scenarios;

/// <summary>TDX and kexec steps.</summary>
public sealed partial class StepExecutor
{
    /// <summary>Runs a TDX or kexec step; null when <paramref name="step"/> is neither.</summary>
    private static int? RunTdx(KernelContext k, StepSpec step, ulong offset)
    {
        switch (step)
        {
            case TdxInitStep i:
                k.Kernel.CurrentCpu = i.Cpu;
                return -(int)k.Tdx.InitModule(i.Cpu, i.Fault);
            case TdxCreateStep c:
                return -(int)k.KvmTdx.CreateTd(c.Td, c.Cpu, out _);
            case TdxPagesStep p:
                {
                    var td = k.KvmTdx.Td(p.Td);
                    return -(int)(p.Add ? k.KvmTdx.AddPages(td, p.Address + offset, p.Size) : k.KvmTdx.RemovePages(td, p.Address + offset, p.Size, k.Kernel.CurrentCpu));
                }
            case TdxWriteStep w:
                {
                    var td = k.KvmTdx.Td(w.Td);
                    return -(int)k.KvmTdx.TdWrite(td, w.Address + offset, w.Data);
                }
            case TdxResetFailsStep f:
                k.KvmTdx.FailResetAfter = f.After;
                return 0;
            case KexecLoadStep l:
                return -(int)k.Kexec.Load(l.Kind);
            case KexecRunStep r:
                return -(int)k.Kexec.Execute(r.Cpu, r.Kind);
            default:
                return null;
        }
    }

    /// <summary>Describes a TDX or kexec step for the trace; null for other steps.</summary>
    private static string? DescribeTdx(StepSpec step) => step switch
    {
        TdxInitStep { Fault: TdxInitFault.None } i => $"cpu{i.Cpu}: init_tdx_module",
        TdxInitStep i => $"cpu{i.Cpu}: init_tdx_module with {(i.Fault == TdxInitFault.InitTdmrs ? "init_tdmrs" : "config_global_keyid")} failing",
        TdxCreateStep c => $"kvm: create TD {c.Td} (vCPU on cpu{c.Cpu})",
        TdxPagesStep { Add: true } p => $"kvm: TDH.MEM.PAGE.ADD {p.Size / 4096} page(s) at 0x{p.Address:x} to {p.Td}",
        TdxPagesStep p => $"kvm: remove {p.Size / 4096} private page(s) at 0x{p.Address:x} from {p.Td} (REMOVE, WBINVD by HKID, reset)",
        TdxWriteStep w => $"TD {w.Td}: vCPU stores {w.Data.Length} bytes at 0x{w.Address:x} through its HKID",
        TdxResetFailsStep f => $"kvm: memory-reset notifier will fail after {f.After} page(s)",
        KexecLoadStep { Kind: KexecKind.Crash } => "kexec_load(KEXEC_ON_CRASH)",
        KexecLoadStep => "kexec_load()",
        KexecRunStep { Kind: KexecKind.Crash } r => $"cpu{r.Cpu}: panic -> crash kexec",
        KexecRunStep r => $"cpu{r.Cpu}: reboot(LINUX_REBOOT_CMD_KEXEC)",
        _ => null,
    };
}
