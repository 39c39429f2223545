namespace Coherence.Text.Litmus.Lowering;

/// <summary>Messages of the litmus lowering (what the engine cannot run), in one place.</summary>
internal static class LoweringMessages
{
    public static string UnsupportedInstruction(string mnemonic) => $"the engine cannot run '{mnemonic}' in a litmus test";

    public static string OperandShape(string mnemonic, string expected) => $"'{mnemonic}' expects {expected}";

    public const string UnlockedMemoryArithmetic = "arithmetic on memory without LOCK is not supported: write LOCK ..., or load, compute and store";

    public static string UnknownLabel(string label) => $"no label '{label}' in this thread";

    public static string RegisterInCrashCondition(string reg) => $"crash conditions speak of persistent memory; register '{reg}' has no value after a crash";

    public const string ZeroRegisterBase = "the zero register cannot be a base address";

    public static string UnsupportedOption(string mnemonic, string option) => $"the engine cannot run '{mnemonic} {option}' in a litmus test";

    public static string UnknownRegister(string reg) => $"'{reg}' is not a register of this architecture";
}
