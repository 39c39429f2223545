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
                    return new CpuStep(label, where, cpu, CpuOp.Read, address, [], (int)length, ParseTenant());
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
        var what = Expect(ScenarioTokenKind.Word, "read, media, machine-check, errno, message, violation, no or a property name");
        ExpectSpec x;
        switch (what.Text)
        {
            case "read":
                {
                    var label = Expect(ScenarioTokenKind.Word, "the label of a read step");
                    var negated = ParseComparison();
                    x = new ReadExpect(Span(label), label.Text, ParseData(), negated);
                    break;
                }
            case "media":
                {
                    var address = ParseAddress();
                    var negated = ParseComparison();
                    x = new MediaExpect(Span(head), address, ParseData(), negated);
                    break;
                }
            case "machine-check":
                x = new MachineCheckExpect(Span(head), Negated: false);
                break;
            case "errno":
                {
                    var label = Expect(ScenarioTokenKind.Word, "the label of a kernel operation step");
                    if (ParseComparison())
                    {
                        throw Fail(tokens[pos - 1], ScenarioMessages.Expected("'=='", "'!='"));
                    }
                    x = new ErrnoExpect(Span(label), label.Text, ParseErrno());
                    break;
                }
            case "message":
                x = new MessageExpect(Span(head), Expect(ScenarioTokenKind.String, "a quoted message").Text, Negated: false);
                break;
            case "violation":
                {
                    var property = Expect(ScenarioTokenKind.Word, "a property name");
                    CheckProperty(property);
                    x = new PropertyExpect(Span(property), property.Text, Violated: true);
                    break;
                }
            case "no":
                {
                    var next = Expect(ScenarioTokenKind.Word, "machine-check or message");
                    x = next.Text switch
                    {
                        "machine-check" => new MachineCheckExpect(Span(head), Negated: true),
                        "message" => new MessageExpect(Span(head), Expect(ScenarioTokenKind.String, "a quoted message").Text, Negated: true),
                        _ => throw Fail(next, ScenarioMessages.Expected("machine-check or message", Describe(next))),
                    };
                    break;
                }
            default:
                CheckProperty(what);
                x = new PropertyExpect(Span(what), what.Text, Violated: false);
                break;
        }
        if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "when")
        {
            pos++;
            var facility = Expect(ScenarioTokenKind.Word, "a policy facility");
            Expect(ScenarioTokenKind.Equals, "'=' and a variant");
            var variant = ExpectVariant();
            x = x with { When = (facility.Text, CheckVariant(facility, variant)) };
        }
        spec.Expectations.Add(x);
    }

    private void CheckProperty(ScenarioToken t)
    {
        if (!Checking.Scenarios.Properties.PropertyNames.All.Contains(t.Text))
        {
            throw Fail(t, ScenarioMessages.UnknownProperty(t.Text, string.Join(", ", Checking.Scenarios.Properties.PropertyNames.All)));
        }
    }

    private static readonly Dictionary<string, int> Errnos = new(StringComparer.Ordinal)
    {
        ["EPERM"] = 1,
        ["ENOENT"] = 2,
        ["EIO"] = 5,
        ["ENXIO"] = 6,
        ["ENOEXEC"] = 8,
        ["EAGAIN"] = 11,
        ["ENOMEM"] = 12,
        ["EACCES"] = 13,
        ["EFAULT"] = 14,
        ["EBUSY"] = 16,
        ["EEXIST"] = 17,
        ["ENODEV"] = 19,
        ["EINVAL"] = 22,
        ["ENOTTY"] = 25,
        ["ENOSPC"] = 28,
        ["EOPNOTSUPP"] = 95,
        ["ETIMEDOUT"] = 110,
        ["ENOKEY"] = 126,
    };

    /// <summary>The errno names the language knows, with their Linux values.</summary>
    public static IReadOnlyDictionary<string, int> ErrnoValues => Errnos;

    private int ParseErrno()
    {
        var t = Next();
        if (t.Kind == ScenarioTokenKind.Number && t.Text == "0")
        {
            return 0;
        }
        if (t.Kind == ScenarioTokenKind.Word && t.Text.StartsWith('-') && Errnos.TryGetValue(t.Text[1..], out var v))
        {
            return -v;
        }
        throw Fail(t, ScenarioMessages.UnknownErrno(t.Text));
    }

    private ScenarioToken ExpectVariant()
    {
        var t = Next();
        if (t.Kind is not (ScenarioTokenKind.Word or ScenarioTokenKind.Number))
        {
            throw Fail(t, ScenarioMessages.Expected("a policy variant", Describe(t)));
        }
        return t;
    }

    private string CheckVariant(ScenarioToken facility, ScenarioToken variant)
    {
        var f = Checking.Scenarios.Policies.Find(facility.Text)
            ?? throw Fail(facility, ScenarioMessages.UnknownFacility(facility.Text, string.Join(", ", Checking.Scenarios.Policies.All.Select(p => p.Name))));
        if (!f.Variants.Contains(variant.Text))
        {
            throw Fail(variant, ScenarioMessages.UnknownVariant(f.Name, variant.Text, string.Join(", ", f.Variants)));
        }
        return variant.Text;
    }

    private void ParsePolicy()
    {
        do
        {
            var facility = Expect(ScenarioTokenKind.Word, "a policy facility");
            Expect(ScenarioTokenKind.Equals, "'=' and a variant");
            var variant = ExpectVariant();
            spec.Policies[facility.Text] = CheckVariant(facility, variant);
        }
        while (Peek.Kind == ScenarioTokenKind.Word);
    }

    private void ParseCheck()
    {
        var kind = Expect(ScenarioTokenKind.Word, "plain, exhaustive, random or pct");
        var options = new Checking.Strategies.ExplorationOptions();
        switch (kind.Text)
        {
            case "plain":
                spec.Plain = true;
                break;
            case "exhaustive":
                break;
            case "random":
                options = options with { Strategy = Checking.Strategies.StrategyKind.Random };
                break;
            case "pct":
                options = options with { Strategy = Checking.Strategies.StrategyKind.Pct };
                break;
            default:
                throw Fail(kind, ScenarioMessages.UnknownStrategy(kind.Text));
        }
        foreach (var (key, value) in Options("check", "runs", "seed", "budget", "max-states", "max-steps"))
        {
            var n = ParseNumber(value);
            options = key.Text switch
            {
                "runs" => options with { Runs = (int)Math.Min(n, int.MaxValue) },
                "seed" => options with { Seed = n },
                "budget" => options with { AdversaryBudget = (int)Math.Min(n, 1000) },
                "max-states" => options with { MaxStates = (long)Math.Min(n, long.MaxValue) },
                _ => options with { MaxSteps = (int)Math.Min(n, int.MaxValue) },
            };
        }
        spec.Exploration = options;
    }

    private void ParseRepeat(string? label, ScenarioToken head)
    {
        var count = ParseNumber(Next());
        ulong stride = 0;
        if (AcceptOption("stride", out var strideToken))
        {
            stride = ParseSize(strideToken);
        }
        Expect(ScenarioTokenKind.Colon, "':' and the step to repeat");
        if (Peek.Kind is ScenarioTokenKind.Newline or ScenarioTokenKind.End)
        {
            throw Fail(Peek, ScenarioMessages.RepeatBody);
        }
        if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "repeat")
        {
            throw Fail(Peek, ScenarioMessages.NestedRepeat);
        }
        var before = spec.Steps.Count;
        var expectations = spec.Expectations.Count;
        ParseStatement(allowLabel: false);
        if (spec.Steps.Count != before + 1 || spec.Expectations.Count != expectations)
        {
            throw Fail(head, ScenarioMessages.RepeatBody);
        }
        var body = spec.Steps[^1];
        spec.Steps.RemoveAt(spec.Steps.Count - 1);
        if (count == 0)
        {
            throw Fail(head, ScenarioMessages.BadValue("repeat count", "0", "at least 1"));
        }
        spec.Steps.Add(new RepeatStep(label, Span(head), count, stride, body));
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
