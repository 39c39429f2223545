namespace Coherence.Text.Scenarios;

/// <summary>Kinds of scenario-language token.</summary>
internal enum ScenarioTokenKind
{
    Word,
    Number,
    String,
    Equals,
    EqualEqual,
    NotEqual,
    Arrow,
    Plus,
    Colon,
    Star,
    Newline,
    End,
    Bad,
}

/// <summary>One token with its 1-based position.</summary>
internal readonly record struct ScenarioToken(ScenarioTokenKind Kind, string Text, int Line, int Column);
