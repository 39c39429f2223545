using Coherence.Checking.Scenarios;
using Coherence.Kernel.Kvm;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Text.Scenarios;

/// <summary>AArch64 platforms, instructions and KVM statements of the scenario language: see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    private static readonly string[] Arm64CpuOps = ["dc", "dsb", "dmb", "exec"];
    private readonly HashSet<string> vmaNames = new(StringComparer.Ordinal);
    private ScenarioToken? arm64FeatureToken;

    /// <summary>The <c>platform</c> options of arm64 platforms: <c>arch=x86|arm64</c>, <c>fwb=</c>, <c>dic=</c>,
    /// <c>dcpop=</c> (on or off).</summary>
    private PlatformConfig ParseArm64PlatformOption(PlatformConfig config, ScenarioToken key, ScenarioToken value)
    {
        if (key.Text == "arch")
        {
            return config with
            {
                InstructionSet = value.Text switch
                {
                    "x86" or "x86-64" => InstructionSet.X86,
                    "arm64" or "aarch64" => InstructionSet.Arm64,
                    _ => throw Fail(value, ScenarioMessages.BadValue("architecture", value.Text, "x86 or arm64")),
                },
            };
        }
        arm64FeatureToken ??= key;
        var feature = key.Text switch
        {
            "fwb" => Arm64Features.Fwb,
            "dic" => Arm64Features.Dic,
            _ => Arm64Features.DcPop,
        };
        var features = OnOff(value) ? config.Arm64Features | feature : config.Arm64Features & ~feature;
        return config with { Arm64Features = features };
    }

    /// <summary>An arm64 memory type of a <c>map</c> statement, or null when the word is not one.</summary>
    private static Arm64MemoryType? Arm64TypeNamed(string word) => word switch
    {
        "normal-wb" => Arm64MemoryType.NormalWB,
        "normal-wt" => Arm64MemoryType.NormalWT,
        "normal-nc" => Arm64MemoryType.NormalNC,
        "device-gre" => Arm64MemoryType.DeviceGRE,
        "device-ngre" => Arm64MemoryType.DeviceNGRE,
        "device-ngnre" => Arm64MemoryType.DeviceNGnRE,
        "device-ngnrne" => Arm64MemoryType.DeviceNGnRnE,
        _ => null,
    };

    /// <summary>Parses <c>cpuN dc|dsb|dmb|exec ...</c>; false (consuming nothing) when the next word is not one of them.</summary>
    private bool TryParseArm64CpuStatement(string word, string? label, ScenarioToken head)
    {
        if (!word.StartsWith("cpu", StringComparison.Ordinal) || Peek.Kind != ScenarioTokenKind.Word
            || Array.IndexOf(Arm64CpuOps, Peek.Text.ToLowerInvariant()) < 0)
        {
            return false;
        }
        var cpu = ParseCpu(head);
        var op = Next();
        var where = Span(head);
        switch (op.Text.ToLowerInvariant())
        {
            case "dc":
                {
                    var kind = Expect(ScenarioTokenKind.Word, "cvac, cvap, civac, ivac or zva");
                    var dc = kind.Text.ToLowerInvariant() switch
                    {
                        "cvac" => Arm64Instruction.DcCvac,
                        "cvap" => Arm64Instruction.DcCvap,
                        "civac" => Arm64Instruction.DcCivac,
                        "ivac" => Arm64Instruction.DcIvac,
                        "zva" => Arm64Instruction.DcZva,
                        _ => throw Fail(kind, ScenarioMessages.UnknownDcOp(kind.Text)),
                    };
                    var address = ParseAddress();
                    var tenant = dc == Arm64Instruction.DcZva ? ParseTenant() : null;
                    spec.Steps.Add(new Arm64Step(label, where, cpu, dc, address, Tenant: tenant));
                    return true;
                }
            case "dsb":
            case "dmb":
                {
                    var barrier = Arm64BarrierKind.Full;
                    if (Peek.Kind == ScenarioTokenKind.Word)
                    {
                        var option = Next();
                        barrier = option.Text.ToLowerInvariant() switch
                        {
                            "sy" or "ish" or "osh" or "nsh" => Arm64BarrierKind.Full,
                            "st" or "ishst" or "oshst" or "nshst" => Arm64BarrierKind.Stores,
                            "ld" or "ishld" or "oshld" or "nshld" => Arm64BarrierKind.Loads,
                            _ => throw Fail(option, ScenarioMessages.BadValue("barrier option", option.Text, "sy, st or ld (or ish, ishst, ishld, osh..., nsh...)")),
                        };
                    }
                    var o = op.Text.Equals("dsb", StringComparison.OrdinalIgnoreCase) ? Arm64Instruction.Dsb : Arm64Instruction.Dmb;
                    spec.Steps.Add(new Arm64Step(label, where, cpu, o, 0, barrier));
                    return true;
                }
            default:
                spec.Steps.Add(new Arm64Step(label, where, cpu, Arm64Instruction.Fetch, ParseAddress()));
                return true;
        }
    }

    /// <summary>Parses <c>kvm vma ...</c> and <c>kvm memslot ...</c>; false when the word is not <c>kvm</c>.</summary>
    private bool TryParseKvmStatement(string word, string? label, ScenarioToken head)
    {
        if (word != "kvm")
        {
            return false;
        }
        var op = Expect(ScenarioTokenKind.Word, "vma or memslot");
        switch (op.Text)
        {
            case "vma":
                ParseKvmVma(label, head);
                return true;
            case "memslot":
                ParseKvmMemslot(label, head);
                return true;
            default:
                throw Fail(op, ScenarioMessages.UnknownKvmOp(op.Text));
        }
    }

    private void ParseKvmVma(string? label, ScenarioToken head)
    {
        var name = Expect(ScenarioTokenKind.Word, "a VMA name");
        if (!vmaNames.Add(name.Text))
        {
            throw Fail(name, ScenarioMessages.DuplicateName("VMA", name.Text));
        }
        var hvaToken = Peek;
        var hva = ParseNumber(Next());
        if (!AcceptOption("size", out var sizeToken))
        {
            throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
        }
        var size = ParseSize(sizeToken);
        if (hva % 4096 != 0 || size == 0 || size % 4096 != 0)
        {
            throw Fail(hvaToken, ScenarioMessages.VmaAlignment(name.Text));
        }
        Expect(ScenarioTokenKind.Arrow, "'->' and the physical address it maps");
        var pa = ParseAddress();
        if (pa % 4096 != 0)
        {
            throw Fail(tokens[pos - 1], ScenarioMessages.VmaAlignment(name.Text));
        }
        var flags = VmFlags.Read | VmFlags.Write;
        var prot = PgProt.Normal;
        foreach (var (key, value) in Options("kvm vma", "pfnmap", "mixedmap", "allow-any-uncached", "mte-allowed", "read-only", "pgprot"))
        {
            switch (key.Text)
            {
                case "pfnmap":
                    flags |= VmFlags.PfnMap;
                    break;
                case "mixedmap":
                    flags |= VmFlags.MixedMap;
                    break;
                case "allow-any-uncached":
                    flags |= VmFlags.AllowAnyUncached;
                    break;
                case "mte-allowed":
                    flags |= VmFlags.MteAllowed;
                    break;
                case "read-only":
                    flags &= ~VmFlags.Write;
                    break;
                default:
                    prot = value.Text switch
                    {
                        "normal" => PgProt.Normal,
                        "normal-tagged" => new PgProt(MairAttrIndx.NormalTagged),
                        "writecombine" or "normal-nc" => PgProt.WriteCombine,
                        "device" => PgProt.Device,
                        "noncached" => PgProt.NonCached,
                        _ => throw Fail(value, ScenarioMessages.BadValue("pgprot", value.Text, "normal, normal-tagged, writecombine, device or noncached")),
                    };
                    break;
            }
        }
        spec.Steps.Add(new KvmVmaStep(label, Span(head), name.Text, hva, size, pa, flags, prot));
    }

    private void ParseKvmMemslot(string? label, ScenarioToken head)
    {
        var slotToken = Peek;
        var slot = ParseNumber(Next());
        if (slot > int.MaxValue)
        {
            throw Fail(slotToken, ScenarioMessages.BadValue("memslot id", slotToken.Text, "a slot number"));
        }
        var gpa = ParseNumber(Next());
        if (!AcceptOption("size", out var sizeToken))
        {
            throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
        }
        var size = ParseSize(sizeToken);
        Expect(ScenarioTokenKind.Arrow, "'->' and the VMA that backs the slot");
        var vma = Expect(ScenarioTokenKind.Word, "a VMA name");
        if (!vmaNames.Contains(vma.Text))
        {
            throw Fail(vma, ScenarioMessages.UnknownVma(vma.Text));
        }
        ulong offset = 0;
        if (Peek.Kind == ScenarioTokenKind.Plus)
        {
            pos++;
            offset = ParseNumber(Next());
        }
        var flags = KvmMemFlags.None;
        foreach (var (key, _) in Options("kvm memslot", "log-dirty", "readonly"))
        {
            flags |= key.Text == "log-dirty" ? KvmMemFlags.LogDirtyPages : KvmMemFlags.ReadOnly;
        }
        spec.Steps.Add(new KvmMemslotStep(label, Span(head), (int)slot, gpa, size, vma.Text, offset, flags));
    }

    /// <summary>Checks that x86 and arm64 constructs match the platform's architecture.</summary>
    private void ValidateArm64()
    {
        var arm64 = spec.Platform.InstructionSet == InstructionSet.Arm64;
        if (!arm64 && arm64FeatureToken is { } f)
        {
            Error(f, ScenarioMessages.Arm64Only($"'{f.Text}'"));
        }
        foreach (var m in spec.Mappings)
        {
            if (arm64 != m.Arm64Type.HasValue)
            {
                Report(m.Where, arm64 ? ScenarioMessages.X86MapOnArm64 : ScenarioMessages.Arm64Only("an arm64 memory type"));
            }
        }
        foreach (var g in spec.Guests)
        {
            if (arm64 && g.Kind != GuestKind.KvmGuest)
            {
                Report(g.Where, ScenarioMessages.Arm64GuestKind);
            }
        }
        foreach (var step in spec.Steps)
        {
            var s = step is RepeatStep r ? r.Body : step;
            switch (s)
            {
                case Arm64Step a when !arm64:
                    Report(a.Where, ScenarioMessages.Arm64Only(a.Op switch
                    {
                        Arm64Instruction.Fetch => "'exec'",
                        Arm64Instruction.Dsb => "'dsb'",
                        Arm64Instruction.Dmb => "'dmb'",
                        _ => "'dc'",
                    }));
                    break;
                case KvmStep k when !arm64:
                    Report(k.Where, ScenarioMessages.Arm64Only("'kvm'"));
                    break;
                case CpuStep c when arm64 && c.Op is not (CpuOp.Read or CpuOp.Write):
                    Report(c.Where, ScenarioMessages.X86InstructionOnArm64(c.Op.ToString().ToLowerInvariant()));
                    break;
                case Arm64Step a:
                    CheckCpu(a.Cpu, a.Where, spec.Platform.CpuCount);
                    break;
            }
        }
    }
}
