using Coherence.Checking.Scenarios;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;

namespace Coherence.Text.Scenarios;

/// <summary>Kernel operations of the scenario language (memregion, NVDIMM, CXL, modules): see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    private readonly HashSet<string> keyNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> cxlRegions = new(StringComparer.Ordinal);

    /// <summary>Parses a kernel statement starting with <paramref name="word"/>; false when the word is not one.</summary>
    private bool TryParseKernelStatement(string word, string? label, ScenarioToken head)
    {
        var where = Span(head);
        switch (word)
        {
            case "kernel":
                {
                    var op = Expect(ScenarioTokenKind.Word, "boot or wait");
                    spec.Steps.Add(op.Text switch
                    {
                        "boot" => new KernelBootStep(label, where),
                        "wait" => new KernelWaitStep(label, where, ParseNumber(Next())),
                        _ => throw Fail(op, ScenarioMessages.UnknownKernelOp(op.Text)),
                    });
                    return true;
                }
            case "invalidate-memregion":
                {
                    var cpu = ParseCpu(Next());
                    ulong start = 0, length = ulong.MaxValue;
                    if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "range")
                    {
                        pos++;
                        start = ParseAddress();
                        var sizeToken = Peek;
                        length = ParseSize(Next());
                        if (length == 0)
                        {
                            throw Fail(sizeToken, ScenarioMessages.BadValue("invalidation length", sizeToken.Text, "at least 1 byte"));
                        }
                    }
                    spec.Steps.Add(new InvalidateMemregionStep(label, where, cpu, start, length));
                    return true;
                }
            case "keyring":
                {
                    var op = Expect(ScenarioTokenKind.Word, "add");
                    if (op.Text != "add")
                    {
                        throw Fail(op, ScenarioMessages.UnknownKeyringOp(op.Text));
                    }
                    var name = Expect(ScenarioTokenKind.Word, "a key name");
                    var pass = Expect(ScenarioTokenKind.String, "a quoted passphrase");
                    if (pass.Text.Length is 0 or > 32)
                    {
                        throw Fail(pass, ScenarioMessages.PassphraseLength);
                    }
                    keyNames.Add(name.Text);
                    spec.Steps.Add(new KeyringAddStep(label, where, name.Text, pass.Text));
                    return true;
                }
            case "nvdimm":
                ParseNvdimm(label, head);
                return true;
            case "region":
                {
                    var range = Expect(ScenarioTokenKind.Word, "a pmem range name");
                    if (!ranges.TryGetValue(range.Text, out var r))
                    {
                        throw Fail(range, ScenarioMessages.UnknownRange(range.Text));
                    }
                    if (r.Kind != ResourceKind.PersistentMemory || DeviceKindOf(r.Device) != DeviceKind.Nvdimm)
                    {
                        throw Fail(range, ScenarioMessages.NotNvdimmRegion(range.Text));
                    }
                    var op = Expect(ScenarioTokenKind.Word, "activate or remove");
                    if (op.Text is not ("activate" or "remove"))
                    {
                        throw Fail(op, ScenarioMessages.UnknownRegionOp(op.Text));
                    }
                    spec.Steps.Add(new NdRegionStep(label, where, range.Text, op.Text == "activate"));
                    return true;
                }
            case "cxl":
                ParseCxl(label, head);
                return true;
            case "module":
                ParseModule(label, head);
                return true;
            default:
                return TryParseTdxStatement(word, label, head);
        }
    }

    private DeviceKind? DeviceKindOf(string name) => spec.Devices.FirstOrDefault(d => d.Name == name)?.Kind;

    private string ParseKeyOption(string operation)
    {
        if (!AcceptOption("key", out var key))
        {
            throw Fail(Peek, ScenarioMessages.KeyRequired(operation, Describe(Peek)));
        }
        if (!keyNames.Contains(key.Text))
        {
            throw Fail(key, ScenarioMessages.UnknownKey(key.Text));
        }
        return key.Text;
    }

    private void ParseNvdimm(string? label, ScenarioToken head)
    {
        var device = Expect(ScenarioTokenKind.Word, "an nvdimm device name");
        if (!devices.Contains(device.Text))
        {
            throw Fail(device, ScenarioMessages.UnknownDevice(device.Text));
        }
        if (DeviceKindOf(device.Text) != DeviceKind.Nvdimm)
        {
            throw Fail(device, ScenarioMessages.NotKind(device.Text, "an nvdimm"));
        }
        var op = Expect(ScenarioTokenKind.Word, "passphrase, unlock, erase or overwrite");
        NvdimmStep step;
        switch (op.Text)
        {
            case "passphrase":
                {
                    var pass = Expect(ScenarioTokenKind.String, "a quoted passphrase");
                    if (pass.Text.Length is 0 or > 32)
                    {
                        throw Fail(pass, ScenarioMessages.PassphraseLength);
                    }
                    var locked = false;
                    if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "locked")
                    {
                        pos++;
                        locked = true;
                    }
                    step = new NvdimmStep(label, Span(head), device.Text, NvdimmOp.Passphrase, null, pass.Text, locked);
                    break;
                }
            case "unlock":
                step = new NvdimmStep(label, Span(head), device.Text, NvdimmOp.Unlock, ParseKeyOption("unlock"), null, false);
                break;
            case "erase":
                step = new NvdimmStep(label, Span(head), device.Text, NvdimmOp.Erase, ParseKeyOption("erase"), null, false);
                break;
            case "overwrite":
                step = new NvdimmStep(label, Span(head), device.Text, NvdimmOp.Overwrite, ParseKeyOption("overwrite"), null, false);
                break;
            default:
                throw Fail(op, ScenarioMessages.UnknownNvdimmOp(op.Text));
        }
        spec.Steps.Add(step);
    }

    private void ParseCxl(string? label, ScenarioToken head)
    {
        var name = Expect(ScenarioTokenKind.Word, "a CXL region or device name");
        var where = Span(head);
        if (devices.Contains(name.Text))
        {
            if (DeviceKindOf(name.Text) != DeviceKind.CxlType3)
            {
                throw Fail(name, ScenarioMessages.NotKind(name.Text, "a cxl"));
            }
            var op = Expect(ScenarioTokenKind.Word, "sanitize or secure-erase");
            if (op.Text is not ("sanitize" or "secure-erase"))
            {
                throw Fail(op, ScenarioMessages.UnknownCxlMemdevOp(op.Text));
            }
            spec.Steps.Add(new CxlMemdevStep(label, where, name.Text, op.Text == "secure-erase"));
            return;
        }
        var verb = Expect(ScenarioTokenKind.Word, "create, attach, detach, commit or reset");
        if (verb.Text != "create" && !cxlRegions.Contains(name.Text))
        {
            throw Fail(name, ScenarioMessages.UnknownCxlRegion(name.Text));
        }
        switch (verb.Text)
        {
            case "create":
                {
                    if (!cxlRegions.Add(name.Text))
                    {
                        throw Fail(name, ScenarioMessages.DuplicateName("CXL region", name.Text));
                    }
                    var window = Expect(ScenarioTokenKind.Word, "a cxl-window range name");
                    if (!ranges.TryGetValue(window.Text, out var r))
                    {
                        throw Fail(window, ScenarioMessages.UnknownRange(window.Text));
                    }
                    if (r.Kind != ResourceKind.CxlWindow)
                    {
                        throw Fail(window, ScenarioMessages.NotCxlWindow(window.Text));
                    }
                    spec.Steps.Add(new CxlRegionStep(label, where, name.Text, CxlRegionOp.Create, window.Text));
                    return;
                }
            case "attach":
                {
                    var device = ParseDeviceName();
                    if (DeviceKindOf(device) != DeviceKind.CxlType3)
                    {
                        throw Fail(tokens[pos - 1], ScenarioMessages.NotKind(device, "a cxl"));
                    }
                    spec.Steps.Add(new CxlRegionStep(label, where, name.Text, CxlRegionOp.Attach, device));
                    return;
                }
            case "detach":
                spec.Steps.Add(new CxlRegionStep(label, where, name.Text, CxlRegionOp.Detach, null));
                return;
            case "commit":
                spec.Steps.Add(new CxlRegionStep(label, where, name.Text, CxlRegionOp.Commit, null));
                return;
            case "reset":
                spec.Steps.Add(new CxlRegionStep(label, where, name.Text, CxlRegionOp.Reset, null));
                return;
            default:
                throw Fail(verb, ScenarioMessages.UnknownCxlRegionOp(verb.Text));
        }
    }

    private void ParseModule(string? label, ScenarioToken head)
    {
        var op = Expect(ScenarioTokenKind.Word, "load");
        if (op.Text != "load")
        {
            throw Fail(op, ScenarioMessages.UnknownModuleOp(op.Text));
        }
        var name = Expect(ScenarioTokenKind.Word, "a module name");
        var license = "GPL";
        var imports = new List<string>();
        var uses = new List<string>();
        foreach (var (key, value) in Options("module", "license", "imports", "uses"))
        {
            if (key.Equals(value))
            {
                throw Fail(key, ScenarioMessages.ModuleOptionValue(key.Text));
            }
            switch (key.Text)
            {
                case "license":
                    license = value.Text;
                    break;
                case "imports":
                    imports.Add(value.Text);
                    break;
                default:
                    uses.Add(value.Text);
                    break;
            }
        }
        spec.Steps.Add(new ModuleLoadStep(label, Span(head), name.Text, license, imports, uses));
    }
}
