using Coherence.Native.Cpu;

namespace Coherence.Native.CacheLines;

/// <summary>
/// The mapped machine-code loops for CLWB, CLFLUSHOPT and CLFLUSH, created on first use. Each is called through an
/// unmanaged function pointer without a GC transition (the code is a few instructions, never blocks and never
/// calls back), so a call costs about as much as an ordinary call.
/// </summary>
internal static unsafe class LineStubs
{
    private static readonly nint[] Entries = Create();

    /// <summary>Why the stubs could not be mapped, or null when they were.</summary>
    public static string? Failure { get; private set; }

    /// <summary>The loop for <paramref name="instruction"/>: <c>(start, end, stride)</c>, start rounded down to a line already.</summary>
    public static delegate* unmanaged[SuppressGCTransition]<nuint, nuint, nuint, void> Loop(WriteBackInstruction instruction)
    {
        if (Entries.Length == 0)
        {
            throw new PlatformNotSupportedException($"cache-line instructions are not available: {Failure}");
        }

        return (delegate* unmanaged[SuppressGCTransition]<nuint, nuint, nuint, void>)Entries[(int)instruction];
    }

    private static nint[] Create()
    {
        if (!CpuFeatures.Current.HasCpuId)
        {
            Failure = $"{CpuFeatures.Current.Architecture} is not x86";
            return [];
        }

        try
        {
            return ExecutableCode.Map(
            [
                LineLoopCode.Assemble(WriteBackInstruction.Clwb),
                LineLoopCode.Assemble(WriteBackInstruction.ClflushOpt),
                LineLoopCode.Assemble(WriteBackInstruction.Clflush),
            ]);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            Failure = e.Message;
            return [];
        }
    }
}
