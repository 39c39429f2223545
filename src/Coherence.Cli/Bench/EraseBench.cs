using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coherence.Kernel.Boot;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;

namespace Coherence.Cli.Bench;

/// <summary>
/// Issue 6's figure: on 2 sockets × 8 cores with a 4 TiB CXL device and 100 000 touched lines (written by all 16
/// CPUs, many still dirty in their caches), the time of a secure erase plus cpu_cache_invalidate_memregion
/// (WBINVD on every CPU). Also the same machine with a 16 GiB device, to show the cost does not follow the size.
/// </summary>
internal static class EraseBench
{
    public static string Run()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"device",8} {"touched",8} {"dirty before",13} {"erase (µs)",11} {"invalidate (ms)",16} {"lines written back",19}");
        foreach (var size in new[] { 4UL << 40, 16UL << 30 })
        {
            for (var run = 0; run < 2; run++)
            {
                var (erase, invalidate, dirty, written) = Measure(size, 100_000);
                if (run == 1)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{(size >= 1UL << 40 ? $"{size >> 40} TiB" : $"{size >> 30} GiB"),8} {100_000,8} {dirty,13} {erase,11:0.0} {invalidate,16:0.0} {written,19}");
                }
            }
        }
        return sb.ToString();
    }

    private static (double EraseMicros, double InvalidateMillis, int Dirty, int Written) Measure(ulong size, int lines)
    {
        var machine = new Machine(new PlatformConfig { Sockets = 2, CoresPerSocket = 8 });
        var device = machine.AddDevice("cxl0", DeviceKind.CxlType3, size, persistent: true);
        const ulong Base = 0x100_0000_0000;
        machine.AddResource("window0", Base, size, ResourceKind.CxlWindow, device);
        var kernel = KernelModel.Boot(machine);
        Span<byte> data = stackalloc byte[16];
        data.Fill(0x5A);
        var stride = (size / (ulong)lines) & ~63UL;
        for (var i = 0; i < lines; i++)
        {
            machine.X86[i % 16].Store(Base + ((ulong)i * stride), data, "A");
        }
        var dirty = 0;
        for (var k = 0; k < machine.CacheCount; k++)
        {
            var c = machine.Cache(k);
            for (var s = 0; s < c.SlotCount; s++)
            {
                if (c.StateOf(s) is Platform.Caches.LineState.Modified or Platform.Caches.LineState.Owned)
                {
                    dirty++;
                }
            }
        }
        var counter = new WriteBackCounter();
        var start = Stopwatch.GetTimestamp();
        machine.EraseDevice(device);
        var erased = Stopwatch.GetTimestamp();
        machine.Observer = counter;
        var result = kernel.CpuCache.InvalidateAll();
        var done = Stopwatch.GetTimestamp();
        machine.Observer = null;
        if (result != Errno.Ok)
        {
            throw new InvalidOperationException($"invalidation returned {result}");
        }
        return ((erased - start) * 1e6 / Stopwatch.Frequency, (done - erased) * 1e3 / Stopwatch.Frequency, dirty, counter.WriteBacks);
    }

    /// <summary>Counts write-backs (the invalidation's cost grows with them).</summary>
    private sealed class WriteBackCounter : Platform.Events.IMachineObserver
    {
        public int WriteBacks { get; private set; }

        public void OnEvent(in Platform.Events.MachineEvent e)
        {
            if (e.Kind == Platform.Events.EventKind.WriteBack)
            {
                WriteBacks++;
            }
        }
    }
}
