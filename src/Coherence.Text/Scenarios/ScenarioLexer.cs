using System.Text;

namespace Coherence.Text.Scenarios;

/// <summary>
/// Splits a scenario file into tokens. Line ends are tokens (the language is line-oriented); <c>#</c> starts a comment
/// to the end of the line. Words are letters, digits, <c>_</c>, <c>-</c> and <c>.</c> starting with a letter;
/// numbers start with a digit and may carry <c>_</c> separators, a <c>0x</c> prefix and a size suffix (<c>4KiB</c>).
/// </summary>
internal static class ScenarioLexer
{
    public static List<ScenarioToken> Lex(string text, List<(int Line, int Column, string Message)> errors)
    {
        var tokens = new List<ScenarioToken>();
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var col = i - lineStart + 1;
            if (c == '\n')
            {
                tokens.Add(new(ScenarioTokenKind.Newline, "\n", line, col));
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_' || (c == '-' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1])))
            {
                var s = i;
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
                {
                    // "->" after a word is an arrow, not part of the word
                    if (text[i] == '-' && i + 1 < text.Length && text[i + 1] == '>')
                    {
                        break;
                    }
                    i++;
                }
                tokens.Add(new(ScenarioTokenKind.Word, text[s..i], line, col));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var s = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'
                    || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
                {
                    i++;
                }
                tokens.Add(new(ScenarioTokenKind.Number, text[s..i], line, col));
                continue;
            }
            if (c == '"')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length && text[i] != '\n')
                {
                    if (text[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        var e = text[i + 1];
                        i += 2;
                        switch (e)
                        {
                            case 'n':
                                sb.Append('\n');
                                break;
                            case 't':
                                sb.Append('\t');
                                break;
                            case '0':
                                sb.Append('\0');
                                break;
                            case 'x' when i + 1 < text.Length && Uri.IsHexDigit(text[i]) && Uri.IsHexDigit(text[i + 1]):
                                sb.Append((char)Convert.ToInt32(text.Substring(i, 2), 16));
                                i += 2;
                                break;
                            default:
                                sb.Append(e);
                                break;
                        }
                        continue;
                    }
                    sb.Append(text[i]);
                    i++;
                }
                if (!closed)
                {
                    errors.Add((line, col, ScenarioMessages.UnterminatedString));
                }
                tokens.Add(new(ScenarioTokenKind.String, sb.ToString(), line, col));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            switch (two)
            {
                case "->":
                    tokens.Add(new(ScenarioTokenKind.Arrow, two, line, col));
                    i += 2;
                    continue;
                case "==":
                    tokens.Add(new(ScenarioTokenKind.EqualEqual, two, line, col));
                    i += 2;
                    continue;
                case "!=":
                    tokens.Add(new(ScenarioTokenKind.NotEqual, two, line, col));
                    i += 2;
                    continue;
            }
            var kind = c switch
            {
                '=' => ScenarioTokenKind.Equals,
                '+' => ScenarioTokenKind.Plus,
                ':' => ScenarioTokenKind.Colon,
                '*' => ScenarioTokenKind.Star,
                _ => ScenarioTokenKind.Bad,
            };
            if (kind == ScenarioTokenKind.Bad)
            {
                errors.Add((line, col, ScenarioMessages.UnexpectedCharacter(c)));
            }
            tokens.Add(new(kind, c.ToString(), line, col));
            i++;
        }
        tokens.Add(new(ScenarioTokenKind.Newline, "\n", line, text.Length - lineStart + 1));
        tokens.Add(new(ScenarioTokenKind.End, "", line + 1, 1));
        return tokens;
    }
}
