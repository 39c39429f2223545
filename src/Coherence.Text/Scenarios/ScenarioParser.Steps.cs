using Coherence.Checking.Scenarios;

namespace Coherence.Text.Scenarios;

public sealed partial class ScenarioParser
{
    private CpuStep ParseCpuStep(string? label, ScenarioToken head)
    {
        var cpu = ParseCpu(head);
        var op = Expect(ScenarioTokenKind.Word, "an instruction");
        var where = Span(head);
        switch (op.Text.ToLowerInvariant())
        {
            case "read":
                {
                    var address = ParseAddress();
                    var lengthToken = Peek;
                    var length = ParseNumber(Next());
                    if (length is 0 or > 4096)
                    {
                        throw Fail(lengthToken, ScenarioMessages.ReadLength);
                    }
                    return new CpuStep(label, where, cpu, CpuOp.Read, address, [], (int)length, null);
                }
            case "write":
            case "movnti":
            case "movdir64b":
                {
                    var address = ParseAddress();
                    var data = ParseData();
                    var o = op.Text.ToLowerInvariant() switch
                    {
                        "write" => CpuOp.Write,
                        "movnti" => CpuOp.Movnti,
                        _ => CpuOp.Movdir64b,
                    };
                    return new CpuStep(label, where, cpu, o, address, data, data.Length, ParseTenant());
                }
            case "clflush":
                return new CpuStep(label, where, cpu, CpuOp.Clflush, ParseAddress(), [], 0, null);
            case "clflushopt":
                return new CpuStep(label, where, cpu, CpuOp.Clflushopt, ParseAddress(), [], 0, null);
            case "clwb":
                return new CpuStep(label, where, cpu, CpuOp.Clwb, ParseAddress(), [], 0, null);
            case "sfence":
                return new CpuStep(label, where, cpu, CpuOp.Sfence, 0, [], 0, null);
            case "mfence":
                return new CpuStep(label, where, cpu, CpuOp.Mfence, 0, [], 0, null);
            case "lfence":
                return new CpuStep(label, where, cpu, CpuOp.Lfence, 0, [], 0, null);
            case "wbinvd":
                return new CpuStep(label, where, cpu, CpuOp.Wbinvd, 0, [], 0, null);
            case "wbnoinvd":
                return new CpuStep(label, where, cpu, CpuOp.Wbnoinvd, 0, [], 0, null);
            default:
                throw Fail(op, ScenarioMessages.CpuInstruction(op.Text));
        }
    }

    private void ParseExpect(ScenarioToken head)
    {
        var what = Expect(ScenarioTokenKind.Word, "read, media, machine-check or no");
        switch (what.Text)
        {
            case "read":
                {
                    var label = Expect(ScenarioTokenKind.Word, "the label of a read step");
                    var negated = ParseComparison();
                    spec.Expectations.Add(new ReadExpect(Span(label), label.Text, ParseData(), negated));
                    break;
                }
            case "media":
                {
                    var address = ParseAddress();
                    var negated = ParseComparison();
                    spec.Expectations.Add(new MediaExpect(Span(head), address, ParseData(), negated));
                    break;
                }
            case "machine-check":
                spec.Expectations.Add(new MachineCheckExpect(Span(head), Negated: false));
                break;
            case "no":
                {
                    var mc = Expect(ScenarioTokenKind.Word, "machine-check");
                    if (mc.Text != "machine-check")
                    {
                        throw Fail(mc, ScenarioMessages.Expected("machine-check", Describe(mc)));
                    }
                    spec.Expectations.Add(new MachineCheckExpect(Span(head), Negated: true));
                    break;
                }
            default:
                throw Fail(what, ScenarioMessages.Expected("read, media, machine-check or no", Describe(what)));
        }
    }

    private bool ParseComparison()
    {
        var t = Next();
        return t.Kind switch
        {
            ScenarioTokenKind.EqualEqual => false,
            ScenarioTokenKind.NotEqual => true,
            _ => throw Fail(t, ScenarioMessages.Expected("'==' or '!='", Describe(t))),
        };
    }
}
