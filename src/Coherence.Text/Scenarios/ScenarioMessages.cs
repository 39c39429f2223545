namespace Coherence.Text.Scenarios;

/// <summary>Every message text of the scenario language, in one place.</summary>
internal static class ScenarioMessages
{
    public const string UnterminatedString = "unterminated string: expected '\"' before the end of the line";

    public static string UnexpectedCharacter(char c) => $"unexpected character '{c}'";

    public static string UnknownStatement(string word) => $"unknown keyword '{word}': expected scenario, platform, cache, device, range, map, guest, policy, check, a step (cpuN ..., dma, erase, lock, unlock, poison, retarget, power-fail, durable, repeat), a kernel operation (kernel, invalidate-memregion, keyring, nvdimm, region, cxl, module, tdx, kexec, kvm) or expect";

    public static string UnknownFacility(string name, string known) => $"unknown policy facility '{name}': expected one of {known}";

    public static string UnknownVariant(string facility, string variant, string known) => $"'{variant}' is not a variant of {facility}: expected one of {known}";

    public static string UnknownProperty(string name, string known) => $"unknown property '{name}': expected one of {known}";

    public static string UnknownErrno(string name) => $"'{name}' is not an errno: expected 0 or -E... such as -EBUSY, -EINVAL, -ENXIO";

    // Kernel operations (ScenarioParser.Kernel.cs).
    public static string UnknownKernelOp(string word) => $"unknown kernel operation '{word}': expected boot or wait";

    public static string UnknownKeyringOp(string word) => $"unknown keyring operation '{word}': expected add";

    public const string PassphraseLength = "a passphrase must be 1 to 32 bytes long";

    public static string UnknownKey(string name) => $"unknown key '{name}': add it with 'keyring add {name} \"...\"' first";

    public static string KeyRequired(string operation, string found) => $"nvdimm {operation} needs key=NAME, found {found}";

    public static string NotKind(string device, string kind) => $"device '{device}' is not {kind} device";

    public static string UnknownNvdimmOp(string word) => $"unknown nvdimm operation '{word}': expected passphrase, unlock, erase or overwrite";

    public static string NotNvdimmRegion(string range) => $"range '{range}' is not a pmem range backed by an nvdimm device";

    public static string UnknownRegionOp(string word) => $"unknown region operation '{word}': expected activate or remove";

    public static string UnknownCxlMemdevOp(string word) => $"unknown CXL device operation '{word}': expected sanitize or secure-erase";

    public static string UnknownCxlRegion(string name) => $"unknown CXL region '{name}': create it with 'cxl {name} create WINDOW' first";

    public static string UnknownCxlRegionOp(string word) => $"unknown CXL region operation '{word}': expected create, attach, detach, commit or reset";

    public static string NotCxlWindow(string range) => $"range '{range}' is not a cxl-window range";

    public static string UnknownModuleOp(string word) => $"unknown module operation '{word}': expected load";

    public static string ModuleOptionValue(string option) => $"module option '{option}' needs a value: {option}=VALUE";

    public static string UnknownStrategy(string name) => $"unknown strategy '{name}': expected plain, exhaustive, random or pct";

    public static string RangeAlignment(string name) => $"range '{name}' must start and end on a 4 KiB boundary and not be empty";

    public static string RangePastDevice(string name, string device, ulong size) => $"range '{name}' goes past the end of device '{device}' (0x{size:x} bytes)";

    public static string RangesOverlap(string name, string other, int line) => $"range '{name}' overlaps range '{other}' (line {line})";

    public static string DeviceSize(string name) => $"device '{name}' needs a size that is a positive multiple of 4 KiB";

    public static string NoSuchCpu(int cpu, int cpus) => $"cpu{cpu} does not exist: the platform has {cpus} CPUs (cpu0 to cpu{cpus - 1})";

    public const string RepeatBody = "a repeat needs a step after ':'";

    public const string NestedRepeat = "repeats do not nest";

    public static string Expected(string what, string found) => $"expected {what}, found {found}";

    public static string UnknownOption(string statement, string option, string known) => $"unknown {statement} option '{option}': expected one of {known}";

    public static string BadValue(string what, string value, string known) => $"'{value}' is not a valid {what}: expected {known}";

    public static string BadNumber(string text) => $"'{text}' is not a number (decimal, or hex with 0x; '_' may separate digits)";

    public static string BadSize(string text) => $"'{text}' is not a size: expected a number with an optional unit (B, KiB, MiB, GiB, TiB; K, M, G, T)";

    public static string BadCpu(string text) => $"'{text}' is not a CPU: expected cpu0, cpu1, ...";

    public static string UnknownDevice(string name) => $"unknown device '{name}': declare it with 'device {name} ...' first";

    public static string UnknownRange(string name) => $"unknown range '{name}': declare it with 'range {name} ...' first";

    public static string DuplicateName(string kind, string name) => $"{kind} '{name}' is already declared";

    public static string DuplicateLabel(string name) => $"label '{name}' is already used";

    public static string UnknownLabel(string name) => $"no read step is labelled '{name}'";

    public static string OddHex(string text) => $"'{text}' has an odd number of hex digits: data written as 0x... is a byte string, two digits a byte";

    public static string CpuInstruction(string word) => $"unknown instruction '{word}': expected read, write, movnti, movdir64b, clflush, clflushopt, clwb, sfence, mfence, lfence, wbinvd or wbnoinvd (x86), or dc, dsb, dmb, exec (arm64)";

    public const string EndOfLine = "expected the end of the line";

    public const string ReadLength = "a read length must be between 1 and 4096 bytes";

    public const string NoScenario = "a scenario needs at least one device, one range and one step";

    // Flushcache, pmem and DAX (ScenarioParser.Flushcache.cs).
    public static string UnknownNamespace(string name, IReadOnlyList<string> declared) => declared.Count == 0
        ? $"unknown pmem namespace '{name}': declare it with 'pmem-namespace {name} over RANGE' first"
        : $"unknown pmem namespace '{name}': expected {string.Join(", ", declared)}";

    public static string MmapBeyondNamespace(ulong offset, int length, string ns, ulong size) =>
        $"a store of {length} bytes at file offset {offset} goes past the end of {ns} (0x{size:x} bytes): the mapping covers the namespace, and a store beyond it is SIGBUS";

    // AArch64 platforms and KVM (ScenarioParser.Arm64.cs).
    public static string Arm64Only(string what) => $"{what} needs an arm64 platform: declare 'platform arch=arm64'";

    public static string X86InstructionOnArm64(string op) => $"'{op}' is an x86 instruction and this platform is arm64: use read, write, dc cvac|cvap|civac|ivac|zva, dsb, dmb or exec";

    public const string X86MapOnArm64 = "wb, wt, wc and uc are x86 memory types and this platform is arm64: use normal-wb, normal-wt, normal-nc, device-gre, device-ngre, device-ngnre or device-ngnrne";

    public const string Arm64GuestKind = "an arm64 platform runs KVM guests only ('guest cpuN kvm')";

    public static string UnknownDcOp(string word) => $"unknown DC operation '{word}': expected cvac, cvap, civac, ivac or zva";

    public static string UnknownKvmOp(string word) => $"unknown kvm operation '{word}': expected vma or memslot";

    public static string UnknownVma(string name) => $"unknown VMA '{name}': map it with 'kvm vma {name} ...' first";

    public static string VmaAlignment(string name) => $"VMA '{name}' must start, end and map on 4 KiB boundaries and not be empty";

}
