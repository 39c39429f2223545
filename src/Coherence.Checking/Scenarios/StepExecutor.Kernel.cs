using Coherence.Platform;
using Coherence.Platform.Events;

namespace Coherence.Checking.Scenarios;

/// <summary>Kernel operations (memregion, NVDIMM, CXL, TDX, KVM) and their expectations (errno, messages).</summary>
public sealed partial class StepExecutor
{
    /// <summary>Executes a kernel step; false when <paramref name="step"/> is not one.</summary>
    private bool TryExecuteKernel(StepSpec step, ulong offset, string? label, out string? note)
    {
        _ = step;
        _ = offset;
        _ = label;
        note = null;
        return false;
    }

    /// <summary>Judges errno and message expectations (null for kinds it does not know).</summary>
    private static ExpectationResult? JudgeKernel(Machine machine, ScenarioExecution run, ExpectSpec x, TraceFormatter f)
    {
        _ = machine;
        _ = run;
        _ = f;
        return x switch
        {
            ErrnoExpect e => new ExpectationResult(e, false, $"no kernel operation is labelled '{e.Label}'"),
            MessageExpect m => new ExpectationResult(m, m.Negated, "the kernel log is empty"),
            _ => null,
        };
    }
}
