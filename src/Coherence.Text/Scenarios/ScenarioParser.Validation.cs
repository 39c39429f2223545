using Coherence.Checking.Scenarios;

namespace Coherence.Text.Scenarios;

/// <summary>
/// Checks a parsed scenario as a whole, before anything runs: CPUs that exist, ranges that fit their devices and do
/// not overlap, the platform's own values. Every problem is reported at the construct that causes it.
/// </summary>
public sealed partial class ScenarioParser
{
    private void Validate()
    {
        var cpus = spec.Platform.CpuCount;
        try
        {
            spec.Platform.Validate();
        }
        catch (ArgumentException e)
        {
            diagnostics.Report(new Diagnostics.SourceLocation(file, platformLine, platformColumn), e.Message);
        }
        var sizes = spec.Devices.ToDictionary(d => d.Name, d => d.Size, StringComparer.Ordinal);
        for (var i = 0; i < spec.Ranges.Count; i++)
        {
            var r = spec.Ranges[i];
            if (r.Size == 0 || r.Start % 4096 != 0 || r.Size % 4096 != 0)
            {
                Report(r.Where, ScenarioMessages.RangeAlignment(r.Name));
            }
            if (sizes.TryGetValue(r.Device, out var size) && (r.DeviceOffset > size || r.Size > size - r.DeviceOffset))
            {
                Report(r.Where, ScenarioMessages.RangePastDevice(r.Name, r.Device, size));
            }
            for (var j = 0; j < i; j++)
            {
                var o = spec.Ranges[j];
                if (r.Start < o.Start + o.Size && o.Start < r.Start + r.Size)
                {
                    Report(r.Where, ScenarioMessages.RangesOverlap(r.Name, o.Name, o.Where.Line));
                }
            }
        }
        foreach (var d in spec.Devices)
        {
            if (d.Size == 0 || d.Size % 4096 != 0)
            {
                Report(d.Where, ScenarioMessages.DeviceSize(d.Name));
            }
        }
        foreach (var m in spec.Mappings)
        {
            CheckCpu(m.Cpu, m.Where, cpus);
        }
        foreach (var g in spec.Guests)
        {
            CheckCpu(g.Cpu, g.Where, cpus);
        }
        ValidateArm64();
        foreach (var step in spec.Steps)
        {
            var s = step is RepeatStep r ? r.Body : step;
            switch (s)
            {
                case CpuStep c:
                    CheckCpu(c.Cpu, c.Where, cpus);
                    break;
                case DurableStep d:
                    CheckCpu(d.Cpu, d.Where, cpus);
                    break;
            }
        }
    }

    private void CheckCpu(int cpu, SourceSpan where, int cpus)
    {
        if (cpu >= cpus)
        {
            Report(where, ScenarioMessages.NoSuchCpu(cpu, cpus));
        }
    }

    private void Report(SourceSpan where, string message) =>
        diagnostics.Report(new Diagnostics.SourceLocation(file, where.Line, where.Column), message);
}
