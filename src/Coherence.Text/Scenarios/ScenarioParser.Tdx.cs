using Coherence.Checking.Scenarios;
using Coherence.Kernel.Kexec;
using Coherence.Kernel.Tdx;
using Coherence.Platform.Addressing;

namespace Coherence.Text.Scenarios;

/// <summary>TDX and kexec operations of the scenario language: see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    private readonly HashSet<string> tdNames = new(StringComparer.Ordinal);

    /// <summary>Parses a <c>tdx</c> or <c>kexec</c> statement; false when <paramref name="word"/> is neither.</summary>
    private bool TryParseTdxStatement(string word, string? label, ScenarioToken head)
    {
        var where = Span(head);
        if (word == "kexec")
        {
            var op = Expect(ScenarioTokenKind.Word, "load, exec or crash");
            switch (op.Text)
            {
                case "load":
                    {
                        var kind = KexecKind.Normal;
                        if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "crash")
                        {
                            pos++;
                            kind = KexecKind.Crash;
                        }
                        spec.Steps.Add(new KexecLoadStep(label, where, kind));
                        return true;
                    }
                case "exec":
                case "crash":
                    spec.Steps.Add(new KexecRunStep(label, where, op.Text == "crash" ? KexecKind.Crash : KexecKind.Normal, ParseCpu(Next())));
                    return true;
                default:
                    throw Fail(op, ScenarioMessages.BadValue("kexec operation", op.Text, "load, exec or crash"));
            }
        }
        if (word != "tdx")
        {
            return false;
        }
        RequireTdxPlatform(head);
        var what = Expect(ScenarioTokenKind.Word, "init, create, add, remove, write or reset-fails");
        switch (what.Text)
        {
            case "init":
                {
                    var fault = TdxInitFault.None;
                    var cpu = 0;
                    if (AcceptOption("fail", out var f))
                    {
                        fault = f.Text switch
                        {
                            "config-global-keyid" => TdxInitFault.ConfigGlobalKeyId,
                            "init-tdmrs" => TdxInitFault.InitTdmrs,
                            _ => throw Fail(f, ScenarioMessages.BadValue("TDX init failure", f.Text, "config-global-keyid or init-tdmrs")),
                        };
                    }
                    if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text.StartsWith("cpu", StringComparison.Ordinal))
                    {
                        cpu = ParseCpu(Next());
                    }
                    spec.Steps.Add(new TdxInitStep(label, where, cpu, fault));
                    return true;
                }
            case "create":
                {
                    var name = Expect(ScenarioTokenKind.Word, "a TD name");
                    if (!tdNames.Add(name.Text))
                    {
                        throw Fail(name, ScenarioMessages.DuplicateName("TD", name.Text));
                    }
                    spec.Steps.Add(new TdxCreateStep(label, where, name.Text, ParseCpu(Next())));
                    return true;
                }
            case "add":
            case "remove":
                {
                    var name = ParseTdName();
                    var address = ParseAddress();
                    if (!AcceptOption("size", out var sizeToken))
                    {
                        throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
                    }
                    var size = ParseSize(sizeToken);
                    if (size == 0 || size % AddressSpace.PageSize != 0 || address % AddressSpace.PageSize != 0)
                    {
                        throw Fail(sizeToken, ScenarioMessages.BadValue("TD page range", sizeToken.Text, "whole 4 KiB pages at a 4 KiB aligned address"));
                    }
                    spec.Steps.Add(new TdxPagesStep(label, where, name, what.Text == "add", address, size));
                    return true;
                }
            case "write":
                {
                    var name = ParseTdName();
                    var address = ParseAddress();
                    spec.Steps.Add(new TdxWriteStep(label, where, name, address, ParseData()));
                    return true;
                }
            case "reset-fails":
                {
                    if (!AcceptOption("after", out var after))
                    {
                        throw Fail(Peek, ScenarioMessages.Expected("after=N", Describe(Peek)));
                    }
                    spec.Steps.Add(new TdxResetFailsStep(label, where, SmallInt(after)));
                    return true;
                }
            default:
                throw Fail(what, ScenarioMessages.BadValue("tdx operation", what.Text, "init, create, add, remove, write or reset-fails"));
        }
    }

    private string ParseTdName()
    {
        var name = Expect(ScenarioTokenKind.Word, "a TD name");
        if (!tdNames.Contains(name.Text))
        {
            throw Fail(name, $"unknown TD '{name.Text}': create it with 'tdx create {name.Text} cpuN' first");
        }
        return name.Text;
    }

    private void RequireTdxPlatform(ScenarioToken head)
    {
        if (spec.Platform.Tdx is null)
        {
            throw Fail(head, "tdx operations need a TDX platform: add tdx=sapphire-rapids, emerald-rapids or granite-rapids to the platform line");
        }
    }
}
