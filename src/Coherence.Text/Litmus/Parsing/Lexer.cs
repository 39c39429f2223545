using Coherence.Text.Diagnostics;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>
/// A hand-written, on-demand lexer with unbounded lookahead. Between tokens it skips white space, nested
/// <c>(* ... *)</c> comments and <c>//</c> line comments. The parser can also read raw text (the test name and
/// info values) with <see cref="ReadWord"/> and <see cref="ReadRestOfLine"/> after moving with <see cref="Reset"/>.
/// </summary>
internal sealed class Lexer
{
    private readonly string text;
    private readonly string file;
    private readonly DiagnosticBag diagnostics;
    private readonly List<Token> lookahead = [];
    private int head;
    private int position;
    private int line = 1;
    private int column = 1;
    private int reportedUpTo;

    public Lexer(string text, string file, DiagnosticBag diagnostics)
    {
        this.text = text;
        this.file = file;
        this.diagnostics = diagnostics;
    }

    public string File => file;

    public Token Peek(int ahead = 0)
    {
        while (lookahead.Count - head <= ahead)
        {
            lookahead.Add(Scan());
        }

        return lookahead[head + ahead];
    }

    public Token Next()
    {
        var token = Peek();
        head++;
        if (head == lookahead.Count)
        {
            lookahead.Clear();
            head = 0;
        }

        return token;
    }

    /// <summary>Moves to a position previously recorded from a token, dropping any lookahead.</summary>
    public void Reset(int offset, int atLine, int atColumn)
    {
        lookahead.Clear();
        head = 0;
        position = offset;
        line = atLine;
        column = atColumn;
    }

    /// <summary>Skips blanks (not line ends) and reads a run of non-blank characters; empty at a line end.</summary>
    public Token ReadWord()
    {
        lookahead.Clear();
        head = 0;
        while (position < text.Length && text[position] is ' ' or '\t' or '\r' && !AtLineEnd())
        {
            Advance();
        }

        var start = position;
        var startLine = line;
        var startColumn = column;
        while (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            Advance();
        }

        return new Token(TokenKind.Identifier, text[start..position], 0, start, position, startLine, startColumn);
    }

    /// <summary>Reads the rest of the current line, without the line end, trimmed.</summary>
    public Token ReadRestOfLine()
    {
        lookahead.Clear();
        head = 0;
        var start = position;
        var startLine = line;
        var startColumn = column;
        while (position < text.Length && text[position] != '\n')
        {
            Advance();
        }

        return new Token(TokenKind.String, text[start..position].Trim(), 0, start, position, startLine, startColumn);
    }

    public SourceLocation LocationOf(Token token) => new(file, token.Line, token.Column);

    private bool AtLineEnd() =>
        text[position] == '\n' || (text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n');

    private void Advance()
    {
        if (text[position] == '\n')
        {
            line++;
            column = 1;
        }
        else
        {
            column++;
        }

        position++;
    }

    private char At(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

    private void Report(int offset, int atLine, int atColumn, string message)
    {
        if (offset >= reportedUpTo)
        {
            diagnostics.Report(new SourceLocation(file, atLine, atColumn), message);
        }
    }

    private void SkipTrivia()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (char.IsWhiteSpace(c))
            {
                Advance();
            }
            else if (c == '(' && At(1) == '*')
            {
                SkipComment();
            }
            else if (c == '/' && At(1) == '/')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    Advance();
                }
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        var start = position;
        var startLine = line;
        var startColumn = column;
        var depth = 0;
        while (position < text.Length)
        {
            if (text[position] == '(' && At(1) == '*')
            {
                depth++;
                Advance();
                Advance();
            }
            else if (text[position] == '*' && At(1) == ')')
            {
                depth--;
                Advance();
                Advance();
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                Advance();
            }
        }

        Report(start, startLine, startColumn, Messages.UnterminatedComment);
    }

    private Token Scan()
    {
        SkipTrivia();
        var start = position;
        var startLine = line;
        var startColumn = column;
        if (position >= text.Length)
        {
            return new Token(TokenKind.End, string.Empty, 0, start, start, startLine, startColumn);
        }

        var c = text[position];
        Token token;
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '.'))
            {
                Advance();
            }

            token = Make(TokenKind.Identifier, start, startLine, startColumn);
        }
        else if (char.IsAsciiDigit(c))
        {
            token = ScanInteger(start, startLine, startColumn);
        }
        else if (c == '"')
        {
            token = ScanString(start, startLine, startColumn);
        }
        else
        {
            var kind = c switch
            {
                '{' => TokenKind.LeftBrace,
                '}' => TokenKind.RightBrace,
                '(' => TokenKind.LeftParen,
                ')' => TokenKind.RightParen,
                '[' => TokenKind.LeftBracket,
                ']' => TokenKind.RightBracket,
                ';' => TokenKind.Semicolon,
                '|' => TokenKind.Pipe,
                ',' => TokenKind.Comma,
                ':' => TokenKind.Colon,
                '$' => TokenKind.Dollar,
                '#' => TokenKind.Hash,
                '%' => TokenKind.Percent,
                '~' => TokenKind.Tilde,
                '+' => TokenKind.Plus,
                '-' => TokenKind.Minus,
                '=' when At(1) == '>' => TokenKind.Implies,
                '=' => TokenKind.Equals,
                '/' when At(1) == '\\' => TokenKind.And,
                '\\' when At(1) == '/' => TokenKind.Or,
                _ => TokenKind.Unknown,
            };
            Advance();
            if (kind is TokenKind.Implies or TokenKind.And or TokenKind.Or)
            {
                Advance();
            }

            token = Make(kind, start, startLine, startColumn);
        }

        reportedUpTo = Math.Max(reportedUpTo, position);
        return token;
    }

    private Token Make(TokenKind kind, int start, int startLine, int startColumn, ulong value = 0) =>
        new(kind, text[start..position], value, start, position, startLine, startColumn);

    private Token ScanInteger(int start, int startLine, int startColumn)
    {
        ulong value = 0;
        var overflow = false;
        if (text[position] == '0' && At(1) is 'x' or 'X' && Uri.IsHexDigit(At(2)))
        {
            Advance();
            Advance();
            while (position < text.Length && Uri.IsHexDigit(text[position]))
            {
                overflow |= value > ulong.MaxValue >> 4;
                value = (value << 4) | (uint)Uri.FromHex(text[position]);
                Advance();
            }
        }
        else
        {
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                var digit = (ulong)(text[position] - '0');
                overflow |= value > (ulong.MaxValue - digit) / 10;
                value = unchecked((value * 10) + digit);
                Advance();
            }
        }

        var token = Make(TokenKind.Integer, start, startLine, startColumn, overflow ? 0 : value);
        if (overflow)
        {
            Report(start, startLine, startColumn, Messages.IntegerOutOfRange(token.Text));
        }

        return token;
    }

    private Token ScanString(int start, int startLine, int startColumn)
    {
        Advance();
        var contentStart = position;
        while (position < text.Length && text[position] is not ('"' or '\n' or '\r'))
        {
            Advance();
        }

        var content = text[contentStart..position];
        if (position < text.Length && text[position] == '"')
        {
            Advance();
        }
        else
        {
            Report(start, startLine, startColumn, Messages.UnterminatedString);
        }

        return new Token(TokenKind.String, content, 0, start, position, startLine, startColumn);
    }
}
