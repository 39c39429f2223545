namespace Coherence.Text.Litmus.Parsing;

/// <summary>
/// Every diagnostic text of the litmus parser. Each says what was expected; the location is added by
/// <see cref="Coherence.Text.Diagnostics.Diagnostic"/>. Arguments named <c>found</c> are token descriptions made by
/// <see cref="Describe"/>.
/// </summary>
internal static class Messages
{
    public const string UnterminatedComment = "unterminated comment: expected '*)' to close '(*'";
    public const string UnterminatedString = "unterminated string: expected '\"' before the end of the line";
    public const string ExpectedTestName = "expected a test name after the architecture";
    public const string DuplicateOrdinaryCondition =
        "expected at most one ordinary condition; write further conditions as 'crash exists', 'crash ~exists' or 'crash forall'";

    public static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.EndOfLine => "end of line",
        TokenKind.String => $"string \"{token.Text}\"",
        _ => $"'{token.Text}'",
    };

    public static string IntegerOutOfRange(string literal) =>
        $"expected an integer below 2^64, found '{literal}'";

    public static string ExpectedArchitecture(string found) =>
        $"expected an architecture (X86, X86_64 or AArch64), found {found}";

    public static string ExpectedInfoLineOrInit(string found) =>
        $"expected a 'Key=Value' info line or '{{' to open the init block, found {found}";

    public static string InvalidExpected(string value) =>
        $"expected 'Allowed' or 'Forbidden' after 'Expected=', found '{value}'";

    public static string InvalidPersistence(string value) =>
        $"expected 'ADR' or 'eADR' after 'Persistence=', found '{value}'";

    public static string InvalidCacheLine(string value) =>
        $"expected location names separated by blanks after 'CacheLine=', found '{value}'";

    public static string ExpectedInitItem(string found) =>
        $"expected an init item such as 'x=0;', '0:EAX=0;' or 'int64_t x;', found {found}";

    public static string ExpectedInitSeparator(string found) =>
        $"expected ';' or '}}' after init item, found {found}";

    public static string ExpectedValue(string found) =>
        $"expected a value (an integer or a location name), found {found}";

    public static string ExpectedRegister(int thread, string found) =>
        $"expected a register after '{thread}:', found {found}";

    public static string UnknownRegister(string name, string architecture) =>
        $"expected a register of {architecture}, found '{name}'";

    public static string NoSuchThread(int thread, int count) =>
        $"expected a thread number below {count}, found {thread}";

    public static string ExpectedThreadHeader(string found) =>
        $"expected the thread header row 'P0 | P1 ... ;', found {found}";

    public static string ExpectedThreadName(int expected, string found) =>
        $"expected thread name 'P{expected}', found {found}";

    public static string ExpectedRowEnd(string found) =>
        $"expected '|' or ';' at the end of the row, found {found}";

    public static string TooManyColumns(int threads, int found) =>
        $"expected at most {threads} columns (one per thread), found {found}";

    public static string ExpectedInstruction(string found) =>
        $"expected an instruction or a label, found {found}";

    public static string UnknownMnemonic(string mnemonic, string architecture) =>
        $"expected an instruction of {architecture}, found unknown mnemonic '{mnemonic}'";

    public static string WrongOperandCount(string mnemonic, int min, int max, int found) =>
        min == max
            ? $"expected {min} operand{(min == 1 ? string.Empty : "s")} for '{mnemonic}', found {found}"
            : $"expected {min} to {max} operands for '{mnemonic}', found {found}";

    public static string ExpectedLockable(string found) =>
        $"expected an instruction that takes the LOCK prefix (such as XADD, XCHG, ADD, INC, CMPXCHG), found {found}";

    public static string ExpectedOperand(string found) =>
        $"expected an operand (a register, an immediate or a memory reference), found {found}";

    public static string ExpectedOperandSeparator(string found) =>
        $"expected ',' or the end of the instruction, found {found}";

    public static string ExpectedInteger(string after, string found) =>
        $"expected an integer after '{after}', found {found}";

    public static string ExpectedToken(string expected, string context, string found) =>
        $"expected '{expected}' {context}, found {found}";

    public static string ExpectedMemoryTerm(string found) =>
        $"expected a register, a location name or an offset in memory operand, found {found}";

    public static string ExpectedExtend(string found) =>
        $"expected an index extension (LSL, SXTW, UXTW, SXTX or UXTX), found {found}";

    public static string ExpectedShift(string found) =>
        $"expected a shift amount from 0 to 63 after '#', found {found}";

    public static string ExpectedOption(string mnemonic, string options, string found) =>
        $"expected one of {options} after '{mnemonic}', found {found}";

    public static string ExpectedBranchTarget(string mnemonic, string found) =>
        $"expected a label as the target of '{mnemonic}', found {found}";

    public static string UndefinedLabel(string label, int thread) =>
        $"expected a label defined in thread P{thread}, found '{label}'";

    public static string DuplicateLabel(string label, int thread) =>
        $"expected a new label, found '{label}' already defined in thread P{thread}";

    public static string ExpectedLocation(string found) =>
        $"expected a location such as 'x', '[x]' or '0:EAX', found {found}";

    public static string ExpectedLocationsSeparator(string found) =>
        $"expected ';' or ']' in the locations list, found {found}";

    public static string ExpectedEquals(string found) =>
        $"expected '=' after the location in an atom, found {found}";

    public static string ExpectedProposition(string found) =>
        $"expected a proposition ('0:EAX=1', 'x=1', 'true', 'false', '~' or '('), found {found}";

    public static string NestingTooDeep(int limit) =>
        $"expected at most {limit} nested propositions";

    public static string ExpectedCondition(string found) =>
        $"expected a final condition ('exists', '~exists', 'forall' or 'crash' followed by one of them), found {found}";

    public static string ExpectedExists(string found) =>
        $"expected 'exists' after '~', found {found}";

    public static string ExpectedQuantifier(string found) =>
        $"expected 'exists', '~exists' or 'forall' after 'crash', found {found}";

    public static string ExpectedEndOfFile(string found) =>
        $"expected the end of the file after the final conditions, found {found}";
}
