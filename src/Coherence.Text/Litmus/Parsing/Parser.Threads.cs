using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>The thread columns: the <c>P0 | P1 ;</c> header row, instruction rows, cells and instructions.</summary>
internal sealed partial class Parser
{
    private readonly List<(int Thread, LabelOperand Target)> branchTargets = [];

    private SyntaxList<ThreadCode> ParseThreads()
    {
        var headers = new List<Token>();
        var header = Peek();
        if (!IsThreadName(header, out _))
        {
            Report(header, Messages.ExpectedThreadHeader(Messages.Describe(header)));
            while (!Peek().Is(TokenKind.End) && !IsConditionStart(Peek()))
            {
                Next();
            }

            return SyntaxList<ThreadCode>.Empty;
        }

        rowLine = header.Line;
        while (true)
        {
            var token = Peek();
            if (IsThreadName(token, out var id) && id == headers.Count)
            {
                headers.Add(Next());
            }
            else
            {
                ReportHere(found => Messages.ExpectedThreadName(headers.Count, found));
                SkipLine(rowLine);
                break;
            }

            token = Peek();
            if (token.Is(TokenKind.Pipe))
            {
                Next();
                continue;
            }

            if (token.Is(TokenKind.Semicolon))
            {
                Next();
                break;
            }

            ReportHere(Messages.ExpectedRowEnd);
            SkipLine(rowLine);
            break;
        }

        rowLine = 0;
        var lines = new List<CodeLine>[headers.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = [];
        }

        while (!Peek().Is(TokenKind.End) && !IsConditionStart(Peek()))
        {
            ParseRow(lines);
        }

        var threads = new ThreadCode[headers.Count];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new ThreadCode(i, SyntaxList.From(lines[i])) { Location = LocationOf(headers[i]) };
        }

        return [.. threads];
    }

    private static bool IsConditionStart(Token token) =>
        token.Is(TokenKind.Tilde)
        || (token.Is(TokenKind.Identifier) && token.Text is "exists" or "forall" or "crash" or "locations" or "filter");

    private void ParseRow(List<CodeLine>[] lines)
    {
        rowLine = Peek().Line;
        var column = 0;
        var reportedExtra = false;
        while (true)
        {
            if (column >= lines.Length && !reportedExtra)
            {
                reportedExtra = true;
                Report(Peek(), Messages.TooManyColumns(lines.Length, CountColumns(column)));
            }

            var line = ParseCell(column < lines.Length ? column : -1);
            if (line is not null && column < lines.Length)
            {
                lines[column].Add(line);
            }

            column++;
            var token = Peek();
            if (token.Is(TokenKind.Pipe))
            {
                Next();
                continue;
            }

            if (token.Is(TokenKind.Semicolon))
            {
                Next();
                break;
            }

            ReportHere(Messages.ExpectedRowEnd);
            SkipLine(rowLine);
            break;
        }

        rowLine = 0;
    }

    /// <summary>Counts the columns of the current row from column <paramref name="seen"/> on, without consuming.</summary>
    private int CountColumns(int seen)
    {
        var count = seen + 1;
        for (var ahead = 0; ; ahead++)
        {
            var token = Peek(ahead);
            if (token.Kind is TokenKind.Semicolon or TokenKind.End or TokenKind.EndOfLine)
            {
                return count;
            }

            if (token.Is(TokenKind.Pipe))
            {
                count++;
            }
        }
    }

    private bool AtCellEnd() =>
        Peek().Kind is TokenKind.Pipe or TokenKind.Semicolon or TokenKind.End or TokenKind.EndOfLine;

    private void SkipCell()
    {
        while (!AtCellEnd())
        {
            Next();
        }
    }

    /// <summary>Reads one cell; returns <see langword="null"/> for an empty cell or after an error.</summary>
    private CodeLine? ParseCell(int thread)
    {
        if (AtCellEnd())
        {
            return null;
        }

        var start = Peek();
        string? label = null;
        if (start.Is(TokenKind.Identifier) && Peek(1).Is(TokenKind.Colon))
        {
            label = start.Text;
            Next();
            Next();
        }

        Instruction? instruction = null;
        if (!AtCellEnd())
        {
            instruction = ParseInstruction(thread);
            if (instruction is null)
            {
                SkipCell();
                return null;
            }
        }

        return new CodeLine(label, instruction) { Location = LocationOf(start) };
    }

    private Instruction? ParseInstruction(int thread)
    {
        var start = Peek();
        if (!start.Is(TokenKind.Identifier))
        {
            ReportHere(Messages.ExpectedInstruction);
            return null;
        }

        Next();
        var mnemonic = start;
        var locked = false;
        if (architecture != Architecture.AArch64 && start.Text.Equals("lock", StringComparison.OrdinalIgnoreCase))
        {
            locked = true;
            if (!Peek().Is(TokenKind.Identifier))
            {
                ReportHere(Messages.ExpectedLockable);
                return null;
            }

            mnemonic = Next();
        }

        var known = isa.TryGetMnemonic(mnemonic.Text, out var info);
        if (!known)
        {
            Report(mnemonic, Messages.UnknownMnemonic(mnemonic.Text, ArchitectureName(architecture)));
        }
        else if (locked && (info!.Traits & MnemonicTraits.Lockable) == 0)
        {
            Report(mnemonic, Messages.ExpectedLockable(Messages.Describe(mnemonic)));
            known = false;
        }

        var operands = new List<Operand>();
        while (!AtCellEnd())
        {
            var optionAllowed = known && (info!.Traits & MnemonicTraits.LeadingOption) != 0 && operands.Count == 0;
            var operand = ParseOperand(optionAllowed);
            if (operand is null)
            {
                return null;
            }

            operands.Add(operand);
            if (AtCellEnd())
            {
                break;
            }

            if (Peek().Is(TokenKind.Comma))
            {
                Next();
                if (AtCellEnd())
                {
                    ReportHere(Messages.ExpectedOperand);
                    return null;
                }

                continue;
            }

            if (operand is OptionOperand)
            {
                continue;
            }

            ReportHere(Messages.ExpectedOperandSeparator);
            return null;
        }

        if (!known)
        {
            return null;
        }

        return CheckOperands(info!, mnemonic, operands, thread)
            ? new Instruction(info!.Name, SyntaxList.From(operands), locked) { Location = LocationOf(start) }
            : null;
    }

    private bool CheckOperands(MnemonicInfo info, Token mnemonic, List<Operand> operands, int thread)
    {
        if (operands.Count < info.MinOperands || operands.Count > info.MaxOperands)
        {
            Report(mnemonic, Messages.WrongOperandCount(info.Name, info.MinOperands, info.MaxOperands, operands.Count));
            return false;
        }

        var ok = true;
        for (var i = 0; i < operands.Count; i++)
        {
            var operand = operands[i];
            var isTarget = (info.Traits & MnemonicTraits.Branch) != 0 && i == operands.Count - 1;
            var isOption = (info.Traits & MnemonicTraits.LeadingOption) != 0 && i == 0;
            if (isOption)
            {
                if (operand is not OptionOperand option || !info.Options.Contains(option.Name))
                {
                    diagnostics.Report(operand.Location, Messages.ExpectedOption(
                        info.Name, string.Join(", ", info.Options), $"'{OperandText(operand)}'"));
                    ok = false;
                }
            }
            else if (isTarget)
            {
                if (operand is LabelOperand label)
                {
                    if (thread >= 0)
                    {
                        branchTargets.Add((thread, label));
                    }
                }
                else
                {
                    diagnostics.Report(operand.Location, Messages.ExpectedBranchTarget(info.Name, $"'{OperandText(operand)}'"));
                    ok = false;
                }
            }
            else if (operand is LabelOperand or OptionOperand)
            {
                diagnostics.Report(operand.Location, Messages.ExpectedOperand($"'{OperandText(operand)}'"));
                ok = false;
            }
        }

        return ok;
    }

    private string OperandText(Operand operand) => Printing.LitmusPrinter.FormatOperand(architecture, operand);
}
