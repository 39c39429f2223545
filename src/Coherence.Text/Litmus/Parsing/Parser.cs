using System.Globalization;
using Coherence.Text.Diagnostics;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>
/// The recursive-descent litmus parser. One instance parses one file. It reports every problem it can find,
/// recovering at <c>;</c>, <c>|</c>, <c>}</c> and line ends, and returns a tree only when it found none.
/// </summary>
internal sealed partial class Parser
{
    private readonly Lexer lexer;
    private readonly DiagnosticBag diagnostics;
    private readonly List<RegisterLocation> registerReferences = [];
    private Architecture architecture;
    private InstructionSet isa = InstructionSet.X86;
    private Token previous;

    /// <summary>While reading a thread row, the row's line; tokens on later lines then read as end of line.</summary>
    private int rowLine;

    public Parser(string text, string file, DiagnosticBag diagnostics)
    {
        this.diagnostics = diagnostics;
        lexer = new Lexer(text, file, diagnostics);
    }

    public LitmusTest? ParseTest()
    {
        var start = Peek();
        if (!start.Is(TokenKind.Identifier) || !TryParseArchitecture(start.Text, out architecture))
        {
            Report(start, Messages.ExpectedArchitecture(Messages.Describe(start)));
            return null;
        }

        isa = InstructionSet.For(architecture);
        lexer.Reset(start.End, start.Line, start.Column + start.Text.Length);
        var name = lexer.ReadWord();
        if (name.Text.Length == 0)
        {
            Report(name, Messages.ExpectedTestName);
        }

        if (!ParsePrelude(out var description, out var info))
        {
            return null;
        }

        var init = ParseInit();
        var threads = ParseThreads();
        var locations = ParseLocations();
        Proposition? filter = null;
        if (Peek().IsWord("filter"))
        {
            Next();
            filter = ParseProposition();
        }

        var conditions = ParseConditions();
        Validate(threads);
        if (diagnostics.Count > 0)
        {
            return null;
        }

        return new LitmusTest(architecture, name.Text, description, info, init, threads, locations, filter, conditions)
        {
            Location = LocationOf(start),
        };
    }

    private static bool TryParseArchitecture(string text, out Architecture result)
    {
        switch (text.ToUpperInvariant())
        {
            case "X86":
                result = Architecture.X86;
                return true;
            case "X86_64":
                result = Architecture.X86_64;
                return true;
            case "AARCH64":
                result = Architecture.AArch64;
                return true;
            default:
                result = default;
                return false;
        }
    }

    private static string ArchitectureName(Architecture architecture) => architecture switch
    {
        Architecture.X86 => "X86",
        Architecture.X86_64 => "X86_64",
        _ => "AArch64",
    };

    private Token Peek(int ahead = 0)
    {
        var token = lexer.Peek(ahead);
        return rowLine > 0 && token.Line != rowLine && token.Kind != TokenKind.End
            ? token with { Kind = TokenKind.EndOfLine }
            : token;
    }

    private Token Next()
    {
        var token = Peek();
        if (token.Kind is TokenKind.End or TokenKind.EndOfLine)
        {
            return token;
        }

        previous = lexer.Next();
        return previous;
    }

    private SourceLocation LocationOf(Token token) => lexer.LocationOf(token);

    private void Report(Token token, string message) => diagnostics.Report(LocationOf(token), message);

    /// <summary>
    /// Reports at the next token; when it is on a later line (or the end of the file follows the last token),
    /// reports just after the last token read instead, which is where the missing text belongs.
    /// </summary>
    private void ReportHere(Func<string, string> message)
    {
        var token = Peek();
        if (token.Kind is TokenKind.EndOfLine || (token.Kind is TokenKind.End && previous.End > 0))
        {
            var after = new SourceLocation(lexer.File, previous.Line, previous.Column + (previous.End - previous.Offset));
            diagnostics.Report(after, message(Messages.Describe(token)));
            return;
        }

        Report(token, message(Messages.Describe(token)));
    }

    private void SkipLine(int line)
    {
        while (!Peek().Is(TokenKind.End) && Peek().Line == line)
        {
            Next();
        }
    }

    private bool ParsePrelude(out string? description, out SyntaxList<InfoLine> info)
    {
        description = null;
        var lines = new List<InfoLine>();
        info = SyntaxList<InfoLine>.Empty;
        while (true)
        {
            var token = Peek();
            if (token.Is(TokenKind.LeftBrace))
            {
                info = SyntaxList.From(lines);
                return true;
            }

            if (token.Is(TokenKind.String) && description is null && lines.Count == 0)
            {
                Next();
                description = token.Text;
                continue;
            }

            var equals = Peek(1);
            if (token.Is(TokenKind.Identifier) && equals.Is(TokenKind.Equals) && equals.Line == token.Line)
            {
                lexer.Reset(equals.End, equals.Line, equals.Column + 1);
                var value = lexer.ReadRestOfLine();
                lines.Add(new InfoLine(token.Text, value.Text) { Location = LocationOf(token) });
                CheckInfoValue(token.Text, value);
                continue;
            }

            Report(token, Messages.ExpectedInfoLineOrInit(Messages.Describe(token)));
            if (token.Is(TokenKind.End))
            {
                return false;
            }

            SkipLine(token.Line);
        }
    }

    private void CheckInfoValue(string key, Token value)
    {
        switch (key)
        {
            case InfoLine.ExpectedKey when InfoValues.ParseExpectation(value.Text) is null:
                Report(value, Messages.InvalidExpected(value.Text));
                break;
            case InfoLine.PersistenceKey when InfoValues.ParsePersistence(value.Text) is null:
                Report(value, Messages.InvalidPersistence(value.Text));
                break;
            case InfoLine.CacheLineKey:
                var names = InfoValues.SplitCacheLine(value.Text);
                var valid = names.Count > 0;
                foreach (var name in names)
                {
                    valid &= InfoValues.IsSymbol(name);
                }

                if (!valid)
                {
                    Report(value, Messages.InvalidCacheLine(value.Text));
                }

                break;
        }
    }

    private SyntaxList<InitItem> ParseInit()
    {
        var items = new List<InitItem>();
        Next();

        // A location may be called P0, so a thread header row ends the block only when its '}' is missing.
        var closed = HasClosingBrace();
        while (!Peek().Is(TokenKind.RightBrace) && !Peek().Is(TokenKind.End) && (closed || !AtThreadHeader()))
        {
            var item = ParseInitItem();
            if (item is not null)
            {
                items.Add(item);
            }

            var token = Peek();
            if (token.Is(TokenKind.Semicolon))
            {
                Next();
                continue;
            }

            if (token.Is(TokenKind.RightBrace))
            {
                break;
            }

            if (item is not null)
            {
                Report(token, Messages.ExpectedInitSeparator(Messages.Describe(token)));
            }

            while (!Peek().Is(TokenKind.Semicolon) && !Peek().Is(TokenKind.RightBrace) && !Peek().Is(TokenKind.End)
                && (closed || !AtThreadHeader()))
            {
                Next();
            }

            if (Peek().Is(TokenKind.Semicolon))
            {
                Next();
            }
        }

        if (Peek().Is(TokenKind.RightBrace))
        {
            Next();
        }
        else
        {
            ReportHere(found => Messages.ExpectedToken("}", "to close the init block", found));
        }

        return SyntaxList.From(items);
    }

    private bool HasClosingBrace()
    {
        for (var ahead = 0; ; ahead++)
        {
            var token = Peek(ahead);
            if (token.Kind is TokenKind.RightBrace or TokenKind.LeftBrace or TokenKind.End)
            {
                return token.Is(TokenKind.RightBrace);
            }
        }
    }

    private bool AtThreadHeader() =>
        IsThreadName(Peek(), out _) && Peek(1).Kind is TokenKind.Pipe or TokenKind.Semicolon;

    private InitItem? ParseInitItem()
    {
        var start = Peek();
        string? type = null;
        var second = Peek(1);
        if (start.Is(TokenKind.Identifier)
            && (second.Is(TokenKind.Identifier) || (second.Is(TokenKind.Integer) && Peek(2).Is(TokenKind.Colon))))
        {
            type = start.Text;
            Next();
        }

        var target = ParseStateLocation(Messages.ExpectedInitItem);
        if (target is null)
        {
            return null;
        }

        LitmusValue? value = null;
        if (Peek().Is(TokenKind.Equals))
        {
            Next();
            value = ParseValue();
            if (value is null)
            {
                return null;
            }
        }

        return new InitItem(type, target, value) { Location = LocationOf(start) };
    }

    /// <summary>Reads <c>x</c>, <c>[x]</c> or <c>n:REG</c>; reports with <paramref name="expected"/> otherwise.</summary>
    private StateLocation? ParseStateLocation(Func<string, string> expected)
    {
        var start = Peek();
        switch (start.Kind)
        {
            case TokenKind.Identifier:
                Next();
                return new MemoryLocation(start.Text) { Location = LocationOf(start) };
            case TokenKind.LeftBracket when Peek(1).Is(TokenKind.Identifier):
                Next();
                var name = Next();
                if (!Peek().Is(TokenKind.RightBracket))
                {
                    ReportHere(found => Messages.ExpectedToken("]", "after location name", found));
                    return null;
                }

                Next();
                return new MemoryLocation(name.Text) { Location = LocationOf(start) };
            case TokenKind.Integer when Peek(1).Is(TokenKind.Colon):
                Next();
                Next();
                var thread = start.Value > int.MaxValue ? int.MaxValue : (int)start.Value;
                var register = Peek();
                if (!register.Is(TokenKind.Identifier))
                {
                    ReportHere(found => Messages.ExpectedRegister(thread, found));
                    return null;
                }

                Next();
                if (!isa.IsRegister(register.Text))
                {
                    Report(register, Messages.UnknownRegister(register.Text, ArchitectureName(architecture)));
                    return null;
                }

                var reference = new RegisterLocation(thread, isa.Normalize(register.Text)) { Location = LocationOf(start) };
                registerReferences.Add(reference);
                return reference;
            default:
                ReportHere(expected);
                return null;
        }
    }

    private LitmusValue? ParseValue()
    {
        var start = Peek();
        if (start.Is(TokenKind.Identifier))
        {
            Next();
            return new AddressValue(start.Text) { Location = LocationOf(start) };
        }

        var value = ParseSignedInteger(null, Messages.ExpectedValue);
        return value is null ? null : new IntegerValue(value.Value) { Location = LocationOf(start) };
    }

    /// <summary>
    /// Reads an optional <c>-</c> and an integer. Values are 64-bit two's complement: literals up to 2^64−1 are
    /// accepted and wrap, so <c>0xffffffffffffffff</c> is −1.
    /// </summary>
    private long? ParseSignedInteger(string? after, Func<string, string>? expected = null)
    {
        var negative = false;
        if (Peek().Is(TokenKind.Minus))
        {
            Next();
            negative = true;
        }

        if (!Peek().Is(TokenKind.Integer))
        {
            ReportHere(expected ?? (found => Messages.ExpectedInteger(negative ? "-" : after ?? "-", found)));
            return null;
        }

        var value = unchecked((long)Next().Value);
        return negative ? unchecked(-value) : value;
    }

    private static bool IsThreadName(Token token, out int id)
    {
        id = 0;
        return token.Is(TokenKind.Identifier) && token.Text.Length is > 1 and < 10 && token.Text[0] == 'P'
            && int.TryParse(token.Text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
