namespace Coherence.Text.Litmus.Parsing;

/// <summary>The kinds of token the litmus lexer produces.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    Integer,
    String,
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Semicolon,
    Pipe,
    Comma,
    Colon,
    Equals,
    Dollar,
    Hash,
    Percent,
    Tilde,
    Plus,
    Minus,
    And,
    Or,
    Implies,
    Unknown,

    /// <summary>Stands for any token on a later line while the parser reads a thread row.</summary>
    EndOfLine,
}

/// <summary>
/// A token: its kind, its text (for strings, the contents between the quotes), its integer value, and where it
/// starts and ends. <see cref="Offset"/> and <see cref="End"/> index the source text.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, ulong Value, int Offset, int End, int Line, int Column)
{
    public bool Is(TokenKind kind) => Kind == kind;

    public bool IsWord(string word) => Kind == TokenKind.Identifier && Text == word;
}
