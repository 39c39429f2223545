using Coherence.Checking.Scenarios;
using Coherence.Text.Diagnostics;

namespace Coherence.Text.Scenarios;

/// <summary>
/// Parses the line-oriented scenario language (docs/scenarios.md) into a <see cref="ScenarioSpec"/>. Hand-written,
/// one statement per line; an error skips to the end of its line and parsing goes on, so every error of a file is
/// reported at once. Never throws on bad input.
/// </summary>
public sealed partial class ScenarioParser
{
    private readonly string file;
    private readonly List<ScenarioToken> tokens;
    private readonly DiagnosticBag diagnostics = new();
    private readonly ScenarioSpec spec = new();
    private readonly HashSet<string> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RangeSpec> ranges = new(StringComparer.Ordinal);
    private readonly HashSet<string> devices = new(StringComparer.Ordinal);
    private int pos;
    private int platformLine = 1;
    private int platformColumn = 1;

    private ScenarioParser(string text, string file)
    {
        this.file = file;
        var lexErrors = new List<(int, int, string)>();
        tokens = ScenarioLexer.Lex(text, lexErrors);
        foreach (var (l, c, m) in lexErrors)
        {
            diagnostics.Report(new SourceLocation(file, l, c), m);
        }
        spec.File = file;
    }

    /// <summary>Parses <paramref name="text"/>, naming <paramref name="file"/> in diagnostics.</summary>
    public static ScenarioParseResult Parse(string text, string file)
    {
        var p = new ScenarioParser(text, file);
        p.ParseFile();
        var list = p.diagnostics.Items.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
        return new ScenarioParseResult(list.Count == 0 ? p.spec : null, list);
    }

    private ScenarioToken Peek => tokens[pos];

    private ScenarioToken Next() => tokens[pos++];

    private SourceSpan Span(ScenarioToken t) => new(file, t.Line, t.Column);

    private void Error(ScenarioToken at, string message) => diagnostics.Report(new SourceLocation(file, at.Line, at.Column), message);

    private static string Describe(ScenarioToken t) => t.Kind switch
    {
        ScenarioTokenKind.Newline => "the end of the line",
        ScenarioTokenKind.End => "the end of the file",
        ScenarioTokenKind.String => $"string \"{t.Text}\"",
        _ => $"'{t.Text}'",
    };

    private sealed class LineError : Exception
    {
    }

    private LineError Fail(ScenarioToken at, string message)
    {
        Error(at, message);
        return new LineError();
    }

    private void ParseFile()
    {
        while (Peek.Kind != ScenarioTokenKind.End)
        {
            if (Peek.Kind == ScenarioTokenKind.Newline)
            {
                pos++;
                continue;
            }
            try
            {
                ParseStatement();
                if (Peek.Kind != ScenarioTokenKind.Newline)
                {
                    throw Fail(Peek, ScenarioMessages.EndOfLine + ", found " + Describe(Peek));
                }
            }
            catch (LineError)
            {
                while (Peek.Kind is not (ScenarioTokenKind.Newline or ScenarioTokenKind.End))
                {
                    pos++;
                }
            }
        }
        if (diagnostics.Count == 0)
        {
            Validate();
        }
        if (diagnostics.Count == 0 && (spec.Devices.Count == 0 || spec.Ranges.Count == 0 || spec.Steps.Count == 0))
        {
            Error(tokens[^1] with { Line = 1, Column = 1 }, ScenarioMessages.NoScenario);
        }
        if (diagnostics.Count == 0)
        {
            foreach (var x in spec.Expectations)
            {
                if (x is ReadExpect r && !labels.Contains(r.Label))
                {
                    diagnostics.Report(new SourceLocation(file, r.Where.Line, r.Where.Column), ScenarioMessages.UnknownLabel(r.Label));
                }
            }
        }
    }

    private void ParseStatement() => ParseStatement(allowLabel: true);

    private void ParseStatement(bool allowLabel)
    {
        string? label = null;
        if (allowLabel && Peek.Kind == ScenarioTokenKind.Word && tokens[pos + 1].Kind == ScenarioTokenKind.Colon)
        {
            var l = Next();
            pos++;
            if (!labels.Add(l.Text))
            {
                throw Fail(l, ScenarioMessages.DuplicateLabel(l.Text));
            }
            label = l.Text;
        }
        var head = Peek;
        if (head.Kind != ScenarioTokenKind.Word)
        {
            throw Fail(head, ScenarioMessages.Expected("a keyword", Describe(head)));
        }
        pos++;
        var word = head.Text.ToLowerInvariant();
        if (word.StartsWith("cpu", StringComparison.Ordinal))
        {
            if (TryParseFlushcacheStatement(word, label, head) || TryParseArm64CpuStatement(word, label, head))
            {
                return;
            }
            spec.Steps.Add(ParseCpuStep(label, head));
            return;
        }
        switch (word)
        {
            case "scenario":
                spec.Name = Expect(ScenarioTokenKind.String, "a quoted title").Text;
                break;
            case "platform":
                platformLine = head.Line;
                platformColumn = head.Column;
                ParsePlatform();
                break;
            case "cache":
                ParseCache();
                break;
            case "device":
                ParseDevice(head);
                break;
            case "range":
                ParseRange(head);
                break;
            case "map":
                ParseMap(head);
                break;
            case "guest":
                ParseGuest(head);
                break;
            case "dma":
                {
                    var address = ParseAddress();
                    var data = ParseData();
                    spec.Steps.Add(new DmaStep(label, Span(head), address, data, ParseTenant()));
                    break;
                }
            case "erase":
                {
                    var device = ParseDeviceName();
                    ulong fill = 0;
                    if (AcceptOption("fill", out var v))
                    {
                        fill = ParseByte(v);
                    }
                    spec.Steps.Add(new DeviceStep(label, Span(head), DeviceOp.Erase, device, fill));
                    break;
                }
            case "lock":
            case "unlock":
                spec.Steps.Add(new DeviceStep(label, Span(head), word == "lock" ? DeviceOp.Lock : DeviceOp.Unlock, ParseDeviceName(), 0));
                break;
            case "poison":
                {
                    var device = ParseDeviceName();
                    spec.Steps.Add(new DeviceStep(label, Span(head), DeviceOp.Poison, device, ParseNumber(Next())));
                    break;
                }
            case "retarget":
                {
                    var range = Expect(ScenarioTokenKind.Word, "a range name");
                    if (!ranges.ContainsKey(range.Text))
                    {
                        throw Fail(range, ScenarioMessages.UnknownRange(range.Text));
                    }
                    var device = ParseDeviceName();
                    ulong offset = 0;
                    if (Peek.Kind == ScenarioTokenKind.Plus)
                    {
                        pos++;
                        offset = ParseNumber(Next());
                    }
                    spec.Steps.Add(new RetargetStep(label, Span(head), range.Text, device, offset));
                    break;
                }
            case "power-fail":
                spec.Steps.Add(new PowerFailStep(label, Span(head)));
                break;
            case "durable":
                {
                    var cpu = ParseCpu(Next());
                    var address = ParseAddress();
                    var length = ParseSize(Next());
                    spec.Steps.Add(new DurableStep(label, Span(head), cpu, address, length));
                    break;
                }
            case "repeat":
                ParseRepeat(label, head);
                break;
            case "policy":
                ParsePolicy();
                break;
            case "check":
                ParseCheck();
                break;
            case "expect":
                ParseExpect(head);
                break;
            default:
                if (TryParseKernelStatement(word, label, head) || TryParseFlushcacheStatement(word, label, head) || TryParseKvmStatement(word, label, head))
                {
                    break;
                }
                throw Fail(head, ScenarioMessages.UnknownStatement(head.Text));
        }
    }

    private ScenarioToken Expect(ScenarioTokenKind kind, string what)
    {
        var t = Peek;
        if (t.Kind != kind)
        {
            throw Fail(t, ScenarioMessages.Expected(what, Describe(t)));
        }
        pos++;
        return t;
    }

    /// <summary>Reads <c>name=value</c> options until the end of the line, each checked against <paramref name="known"/>.</summary>
    private List<(ScenarioToken Key, ScenarioToken Value)> Options(string statement, params string[] known)
    {
        var list = new List<(ScenarioToken, ScenarioToken)>();
        while (Peek.Kind == ScenarioTokenKind.Word)
        {
            var key = Next();
            if (Array.IndexOf(known, key.Text) < 0)
            {
                throw Fail(key, ScenarioMessages.UnknownOption(statement, key.Text, string.Join(", ", known)));
            }
            if (Peek.Kind != ScenarioTokenKind.Equals)
            {
                list.Add((key, key));
                continue;
            }
            pos++;
            var value = Next();
            if (value.Kind is not (ScenarioTokenKind.Word or ScenarioTokenKind.Number))
            {
                throw Fail(value, ScenarioMessages.Expected($"a value for {key.Text}", Describe(value)));
            }
            list.Add((key, value));
        }
        return list;
    }

    private bool AcceptOption(string name, out ScenarioToken value)
    {
        if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == name && tokens[pos + 1].Kind == ScenarioTokenKind.Equals)
        {
            pos += 2;
            value = Next();
            return true;
        }
        value = default;
        return false;
    }

    private string? ParseTenant() => AcceptOption("tenant", out var t) ? t.Text : null;

    private string ParseDeviceName()
    {
        var t = Expect(ScenarioTokenKind.Word, "a device name");
        if (!devices.Contains(t.Text))
        {
            throw Fail(t, ScenarioMessages.UnknownDevice(t.Text));
        }
        return t.Text;
    }
}
