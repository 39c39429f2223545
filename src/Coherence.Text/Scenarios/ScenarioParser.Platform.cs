using Coherence.Checking.Scenarios;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Devices;
using Coherence.Platform.Persistence;
using Coherence.Platform.Tdx;

namespace Coherence.Text.Scenarios;

public sealed partial class ScenarioParser
{
    private void ParsePlatform()
    {
        var config = spec.Platform;
        foreach (var (key, value) in Options("platform", "sockets", "cores", "persistence", "store-buffer", "wc-buffers", "evictions", "speculation", "tdx", "tdx-erratum", "arch", "fwb", "dic", "dcpop"))
        {
            switch (key.Text)
            {
                case "sockets":
                    config = config with { Sockets = SmallInt(value) };
                    break;
                case "cores":
                    config = config with { CoresPerSocket = SmallInt(value) };
                    break;
                case "persistence":
                    config = config with
                    {
                        Persistence = value.Text.ToLowerInvariant() switch
                        {
                            "none" => PersistenceDomain.None,
                            "adr" => PersistenceDomain.Adr,
                            "eadr" => PersistenceDomain.Eadr,
                            _ => throw Fail(value, ScenarioMessages.BadValue("persistence domain", value.Text, "none, adr or eadr")),
                        },
                    };
                    break;
                case "store-buffer":
                    config = config with { StoreBufferEntries = SmallInt(value) };
                    break;
                case "wc-buffers":
                    config = config with { WcBuffers = SmallInt(value) };
                    break;
                case "evictions":
                    config = config with { SpontaneousEvictions = OnOff(value) };
                    break;
                case "tdx":
                    config = config with
                    {
                        Tdx = value.Text switch
                        {
                            "off" => null,
                            "sapphire-rapids" => (config.Tdx ?? new TdxPlatform()) with { Model = TdxCpuModel.SapphireRapids },
                            "emerald-rapids" => (config.Tdx ?? new TdxPlatform()) with { Model = TdxCpuModel.EmeraldRapids },
                            "granite-rapids" => (config.Tdx ?? new TdxPlatform()) with { Model = TdxCpuModel.GraniteRapids },
                            _ => throw Fail(value, ScenarioMessages.BadValue("TDX CPU model", value.Text, "sapphire-rapids, emerald-rapids, granite-rapids or off")),
                        },
                    };
                    break;
                case "tdx-erratum":
                    if (config.Tdx is null)
                    {
                        throw Fail(key, "tdx-erratum= needs a TDX platform: put tdx=MODEL before it");
                    }
                    config = config with { Tdx = config.Tdx with { PartialWriteErratumOverride = OnOff(value) } };
                    break;
                case "speculation":
                    config = config with { SpeculativeFetch = OnOff(value) };
                    break;
                default:
                    config = ParseArm64PlatformOption(config, key, value);
                    break;
            }
        }
        if (config.Tdx is not null && config.InstructionSet != InstructionSet.X86)
        {
            throw Fail(Peek, "tdx= describes an x86 platform: it cannot be combined with arch=arm64");
        }
        spec.Platform = config;
    }

    private int SmallInt(ScenarioToken t)
    {
        var v = ParseNumber(t);
        if (v > 4096)
        {
            throw Fail(t, ScenarioMessages.BadValue("count", t.Text, "a number up to 4096"));
        }
        return (int)v;
    }

    private bool OnOff(ScenarioToken t) => t.Text switch
    {
        "on" => true,
        "off" => false,
        _ => throw Fail(t, ScenarioMessages.BadValue("switch", t.Text, "on or off")),
    };

    private void ParseCache()
    {
        var level = Expect(ScenarioTokenKind.Word, "l1, l2 or llc");
        var size = ParseSize(Next());
        var ways = 8;
        foreach (var (_, value) in Options("cache", "ways"))
        {
            ways = SmallInt(value);
        }
        var c = new CacheConfig((long)Math.Min(size, long.MaxValue), ways);
        spec.Platform = level.Text.ToLowerInvariant() switch
        {
            "l1" => spec.Platform with { L1 = c },
            "l2" => spec.Platform with { L2 = c },
            "llc" => spec.Platform with { Llc = c },
            _ => throw Fail(level, ScenarioMessages.BadValue("cache level", level.Text, "l1, l2 or llc")),
        };
    }

    private void ParseDevice(ScenarioToken head)
    {
        var name = Expect(ScenarioTokenKind.Word, "a device name");
        var kindToken = Expect(ScenarioTokenKind.Word, "a device kind");
        var kind = kindToken.Text.ToLowerInvariant() switch
        {
            "dram" => DeviceKind.Dram,
            "nvdimm" => DeviceKind.Nvdimm,
            "cxl" or "cxl-type3" => DeviceKind.CxlType3,
            _ => throw Fail(kindToken, ScenarioMessages.BadValue("device kind", kindToken.Text, "dram, nvdimm or cxl")),
        };
        ulong size = 0;
        var sizeGiven = false;
        bool? persistent = null;
        byte fill = 0;
        var lockedReads = LockedReadMode.Poison;
        foreach (var (key, value) in Options("device", "size", "persistent", "volatile", "fill", "locked-reads"))
        {
            switch (key.Text)
            {
                case "size":
                    size = ParseSize(value);
                    sizeGiven = true;
                    break;
                case "persistent":
                    persistent = true;
                    break;
                case "volatile":
                    persistent = false;
                    break;
                case "fill":
                    fill = ParseByte(value);
                    break;
                default:
                    lockedReads = value.Text switch
                    {
                        "poison" => LockedReadMode.Poison,
                        "ones" => LockedReadMode.AllOnes,
                        _ => throw Fail(value, ScenarioMessages.BadValue("locked-read mode", value.Text, "poison or ones")),
                    };
                    break;
            }
        }
        if (!sizeGiven)
        {
            throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
        }
        if (!devices.Add(name.Text))
        {
            throw Fail(name, ScenarioMessages.DuplicateName("device", name.Text));
        }
        spec.Devices.Add(new DeviceSpec(name.Text, kind, size, persistent ?? kind != DeviceKind.Dram, fill, lockedReads, Span(head)));
    }

    private void ParseRange(ScenarioToken head)
    {
        var name = Expect(ScenarioTokenKind.Word, "a range name");
        var kindToken = Expect(ScenarioTokenKind.Word, "a range kind");
        var kind = kindToken.Text.ToLowerInvariant() switch
        {
            "ram" => ResourceKind.SystemRam,
            "pmem" => ResourceKind.PersistentMemory,
            "cxl-window" => ResourceKind.CxlWindow,
            "reserved" => ResourceKind.Reserved,
            _ => throw Fail(kindToken, ScenarioMessages.BadValue("range kind", kindToken.Text, "ram, pmem, cxl-window or reserved")),
        };
        var start = ParseNumber(Next());
        if (!AcceptOption("size", out var sizeToken))
        {
            throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
        }
        var size = ParseSize(sizeToken);
        Expect(ScenarioTokenKind.Arrow, "'->' and the backing device");
        var device = ParseDeviceName();
        ulong offset = 0;
        if (Peek.Kind == ScenarioTokenKind.Plus)
        {
            pos++;
            offset = ParseNumber(Next());
        }
        if (ranges.ContainsKey(name.Text))
        {
            throw Fail(name, ScenarioMessages.DuplicateName("range", name.Text));
        }
        var r = new RangeSpec(name.Text, kind, start, size, device, offset, Span(head));
        ranges[name.Text] = r;
        spec.Ranges.Add(r);
    }

    private void ParseMap(ScenarioToken head)
    {
        var cpu = ParseCpu(Next());
        var va = ParseNumber(Next());
        Expect(ScenarioTokenKind.Arrow, "'->' and a physical address");
        var pa = ParseAddress();
        if (!AcceptOption("size", out var sizeToken))
        {
            throw Fail(Peek, ScenarioMessages.Expected("size=SIZE", Describe(Peek)));
        }
        var size = ParseSize(sizeToken);
        var typeToken = Expect(ScenarioTokenKind.Word, "a memory type (wb, wt, wc, uc; arm64: normal-wb, normal-nc, device-ngnre, ...)");
        if (Arm64TypeNamed(typeToken.Text.ToLowerInvariant()) is { } arm64Type)
        {
            spec.Mappings.Add(new MappingSpec(cpu, va, pa, size, default, Span(head)) { Arm64Type = arm64Type });
            return;
        }
        var type = typeToken.Text.ToLowerInvariant() switch
        {
            "wb" => MemoryType.WriteBack,
            "wt" => MemoryType.WriteThrough,
            "wc" => MemoryType.WriteCombining,
            "uc" => MemoryType.Uncached,
            _ => throw Fail(typeToken, ScenarioMessages.BadValue("memory type", typeToken.Text, "wb, wt, wc or uc (x86); normal-wb, normal-wt, normal-nc, device-gre, device-ngre, device-ngnre or device-ngnrne (arm64)")),
        };
        spec.Mappings.Add(new MappingSpec(cpu, va, pa, size, type, Span(head)));
    }

    private void ParseGuest(ScenarioToken head)
    {
        var cpu = ParseCpu(Next());
        var kindToken = Expect(ScenarioTokenKind.Word, "kvm or tdx");
        var kind = kindToken.Text.ToLowerInvariant() switch
        {
            "kvm" => GuestKind.KvmGuest,
            "tdx" => GuestKind.TdxGuest,
            _ => throw Fail(kindToken, ScenarioMessages.BadValue("guest kind", kindToken.Text, "kvm or tdx")),
        };
        var passthrough = Options("guest", "wbinvd-passthrough").Count > 0;
        spec.Guests.Add(new GuestSpec(cpu, kind, passthrough, Span(head)));
    }
}
