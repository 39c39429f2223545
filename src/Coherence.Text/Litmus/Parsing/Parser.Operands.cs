using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>Operands in the three syntaxes: Intel (X86), AT&amp;T (X86_64) and A64 (AArch64).</summary>
internal sealed partial class Parser
{
    private Operand? ParseOperand(bool optionAllowed) => architecture switch
    {
        Architecture.X86 => ParseIntelOperand(),
        Architecture.X86_64 => ParseAttOperand(),
        _ => ParseArmOperand(optionAllowed),
    };

    private Operand? ParseImmediate(Token start, string prefix)
    {
        if (!start.Is(TokenKind.Integer) && !start.Is(TokenKind.Minus))
        {
            Next();
        }

        var value = ParseSignedInteger(prefix);
        return value is null ? null : new ImmediateOperand(value.Value) { Location = LocationOf(start) };
    }

    private Operand? ParseIntelOperand()
    {
        var start = Peek();
        switch (start.Kind)
        {
            case TokenKind.LeftBracket:
                return ParseIntelMemory();
            case TokenKind.Dollar:
                return ParseImmediate(start, "$");
            case TokenKind.Integer or TokenKind.Minus:
                return ParseImmediate(start, "-");
            case TokenKind.Identifier:
                Next();
                return isa.IsRegister(start.Text)
                    ? new RegisterOperand(isa.Normalize(start.Text)) { Location = LocationOf(start) }
                    : new LabelOperand(start.Text) { Location = LocationOf(start) };
            default:
                ReportHere(Messages.ExpectedOperand);
                return null;
        }
    }

    /// <summary>Reads <c>[x]</c>, <c>[EAX]</c>, <c>[x+8]</c>, <c>[EAX+EBX-4]</c>: terms joined by <c>+</c> and <c>-</c>.</summary>
    private Operand? ParseIntelMemory()
    {
        var start = Next();
        string? symbol = null, baseRegister = null, index = null;
        long offset = 0;
        for (var first = true; ; first = false)
        {
            var negative = false;
            if (Peek().Is(TokenKind.Minus))
            {
                Next();
                negative = true;
            }
            else if (!first && Peek().Is(TokenKind.Plus))
            {
                Next();
            }
            else if (!first)
            {
                if (Peek().Is(TokenKind.RightBracket))
                {
                    break;
                }

                ReportHere(found => Messages.ExpectedToken("]", "after memory operand", found));
                return null;
            }

            var term = Peek();
            if (term.Is(TokenKind.Integer))
            {
                Next();
                var value = unchecked((long)term.Value);
                offset = unchecked(negative ? offset - value : offset + value);
            }
            else if (term.Is(TokenKind.Identifier) && !negative && isa.IsRegister(term.Text) && index is null)
            {
                Next();
                if (baseRegister is null)
                {
                    baseRegister = isa.Normalize(term.Text);
                }
                else
                {
                    index = isa.Normalize(term.Text);
                }
            }
            else if (term.Is(TokenKind.Identifier) && !negative && !isa.IsRegister(term.Text) && symbol is null)
            {
                Next();
                symbol = term.Text;
            }
            else
            {
                ReportHere(Messages.ExpectedMemoryTerm);
                return null;
            }
        }

        var close = Next();
        if (symbol is null && baseRegister is null)
        {
            Report(close, Messages.ExpectedMemoryTerm(Messages.Describe(close)));
            return null;
        }

        return new MemoryOperand(symbol, baseRegister, index, offset) { Location = LocationOf(start) };
    }

    private Operand? ParseAttOperand()
    {
        var start = Peek();
        switch (start.Kind)
        {
            case TokenKind.Dollar:
                return ParseImmediate(start, "$");
            case TokenKind.Percent:
                var register = ParseAttRegister();
                return register is null ? null : new RegisterOperand(register) { Location = LocationOf(start) };
            case TokenKind.LeftParen:
                return ParseAttMemory(start, null, 0);
            case TokenKind.Integer or TokenKind.Minus:
                var value = ParseSignedInteger("-");
                if (value is null)
                {
                    return null;
                }

                return Peek().Is(TokenKind.LeftParen)
                    ? ParseAttMemory(start, null, value.Value)
                    : new ImmediateOperand(value.Value) { Location = LocationOf(start) };
            case TokenKind.Identifier:
                Next();
                return Peek().Is(TokenKind.LeftParen)
                    ? ParseAttMemory(start, start.Text, 0)
                    : new LabelOperand(start.Text) { Location = LocationOf(start) };
            default:
                ReportHere(Messages.ExpectedOperand);
                return null;
        }
    }

    /// <summary>Reads <c>%reg</c> and returns the normalised name without <c>%</c>.</summary>
    private string? ParseAttRegister()
    {
        Next();
        var name = Peek();
        if (!name.Is(TokenKind.Identifier))
        {
            ReportHere(Messages.ExpectedOperand);
            return null;
        }

        Next();
        if (!isa.IsRegister(name.Text))
        {
            Report(name, Messages.UnknownRegister(name.Text, ArchitectureName(architecture)));
            return null;
        }

        return isa.Normalize(name.Text);
    }

    /// <summary>Reads <c>(x)</c>, <c>(%rax)</c>, <c>(%rax,%rbx)</c> after an optional offset or symbol.</summary>
    private Operand? ParseAttMemory(Token start, string? symbolPrefix, long offset)
    {
        Next();
        string? symbol = symbolPrefix, baseRegister = null, index = null;
        var inner = Peek();
        if (inner.Is(TokenKind.Percent))
        {
            baseRegister = ParseAttRegister();
            if (baseRegister is null)
            {
                return null;
            }

            if (Peek().Is(TokenKind.Comma))
            {
                Next();
                if (!Peek().Is(TokenKind.Percent))
                {
                    ReportHere(Messages.ExpectedMemoryTerm);
                    return null;
                }

                index = ParseAttRegister();
                if (index is null)
                {
                    return null;
                }
            }
        }
        else if (inner.Is(TokenKind.Identifier) && symbolPrefix is null)
        {
            Next();
            symbol = inner.Text;
        }
        else
        {
            ReportHere(Messages.ExpectedMemoryTerm);
            return null;
        }

        if (!Peek().Is(TokenKind.RightParen))
        {
            ReportHere(found => Messages.ExpectedToken(")", "after memory operand", found));
            return null;
        }

        Next();
        return new MemoryOperand(symbol, baseRegister, index, offset) { Location = LocationOf(start) };
    }

    private Operand? ParseArmOperand(bool optionAllowed)
    {
        var start = Peek();
        switch (start.Kind)
        {
            case TokenKind.Hash:
                return ParseImmediate(start, "#");
            case TokenKind.Integer or TokenKind.Minus:
                return ParseImmediate(start, "-");
            case TokenKind.LeftBracket:
                return ParseArmMemory();
            case TokenKind.Identifier:
                Next();
                if (isa.IsRegister(start.Text))
                {
                    return new RegisterOperand(isa.Normalize(start.Text)) { Location = LocationOf(start) };
                }

                return optionAllowed
                    ? new OptionOperand(start.Text.ToUpperInvariant()) { Location = LocationOf(start) }
                    : new LabelOperand(start.Text) { Location = LocationOf(start) };
            default:
                ReportHere(Messages.ExpectedOperand);
                return null;
        }
    }

    /// <summary>Reads <c>[X1]</c>, <c>[X1,X2]</c> or <c>[X1,#8]</c>.</summary>
    private Operand? ParseArmMemory()
    {
        var start = Next();
        var baseToken = Peek();
        if (!baseToken.Is(TokenKind.Identifier) || !isa.IsRegister(baseToken.Text))
        {
            ReportHere(Messages.ExpectedMemoryTerm);
            return null;
        }

        Next();
        string? index = null, extend = null;
        long offset = 0;
        var shift = 0;
        if (Peek().Is(TokenKind.Comma))
        {
            Next();
            var second = Peek();
            if (second.Is(TokenKind.Identifier) && isa.IsRegister(second.Text))
            {
                Next();
                index = isa.Normalize(second.Text);
                if (Peek().Is(TokenKind.Comma))
                {
                    Next();
                    if (!ParseArmExtend(out extend, out shift))
                    {
                        return null;
                    }
                }
            }
            else if (second.Kind is TokenKind.Hash or TokenKind.Integer or TokenKind.Minus)
            {
                if (second.Is(TokenKind.Hash))
                {
                    Next();
                }

                var value = ParseSignedInteger("#");
                if (value is null)
                {
                    return null;
                }

                offset = value.Value;
            }
            else
            {
                ReportHere(Messages.ExpectedMemoryTerm);
                return null;
            }
        }

        if (!Peek().Is(TokenKind.RightBracket))
        {
            ReportHere(found => Messages.ExpectedToken("]", "after memory operand", found));
            return null;
        }

        Next();
        return new MemoryOperand(null, isa.Normalize(baseToken.Text), index, offset, extend, shift)
        {
            Location = LocationOf(start),
        };
    }

    /// <summary>Reads the index extension of <c>[X4,W2,SXTW]</c> or <c>[X1,X2,LSL #3]</c>.</summary>
    private bool ParseArmExtend(out string? extend, out int shift)
    {
        extend = null;
        shift = 0;
        var kind = Peek();
        if (!kind.Is(TokenKind.Identifier) || kind.Text.ToUpperInvariant() is not ("LSL" or "SXTW" or "UXTW" or "SXTX" or "UXTX"))
        {
            ReportHere(Messages.ExpectedExtend);
            return false;
        }

        Next();
        extend = kind.Text.ToUpperInvariant();
        if (!Peek().Is(TokenKind.Hash))
        {
            return true;
        }

        Next();
        var amount = Peek();
        if (!amount.Is(TokenKind.Integer) || amount.Value > 63)
        {
            ReportHere(found => Messages.ExpectedShift(found));
            return false;
        }

        Next();
        shift = (int)amount.Value;
        return true;
    }
}
