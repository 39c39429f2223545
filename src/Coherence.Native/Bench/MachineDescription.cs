using System.Runtime.InteropServices;
using Coherence.Native.CacheLines;
using Coherence.Native.Copy;

namespace Coherence.Native.Bench;

/// <summary>The machine a benchmark ran on, as a reader needs it to judge the figures.</summary>
/// <param name="Model">The CPU model name (<c>/proc/cpuinfo</c>, as <c>lscpu</c> shows it).</param>
/// <param name="Cores">Logical processors available to the process.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="Rung">The non-temporal store width FlushCache uses.</param>
/// <param name="WriteBack">The cache-line write-back instruction in use.</param>
/// <param name="Libpmem">Whether libpmem was loaded, in words.</param>
public sealed record MachineDescription(string Model, int Cores, string Os, string Runtime, string Rung, string WriteBack, string Libpmem)
{
    /// <summary>Describes this machine.</summary>
    public static MachineDescription Current() => new(
        ModelName(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        FlushCache.IsSupported ? $"{FlushCache.Rung} ({(int)FlushCache.Rung}-byte non-temporal stores)" : "unsupported",
        CacheLine.IsSupported ? CacheLine.WriteBackInstruction.ToString().ToUpperInvariant() : "none",
        LibPmem.IsAvailable ? $"{LibPmem.Library} loaded" : $"{LibPmem.Library} not found (install: bash .ci/setup libpmem); libpmem columns skipped");

    private static string ModelName()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
