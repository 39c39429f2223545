using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>The part after the threads: <c>locations</c>, <c>filter</c>, conditions; and the final checks.</summary>
internal sealed partial class Parser
{
    /// <summary>The deepest proposition tree accepted (<c>~</c> and binary connectives nested).</summary>
    internal const int MaxPropositionDepth = 100;

    /// <summary>The deepest recursion of <c>(</c> and <c>~</c> accepted, redundant parentheses included.</summary>
    private const int MaxRecursion = 2 * MaxPropositionDepth;

    private bool reportedDepth;

    private SyntaxList<StateLocation>? ParseLocations()
    {
        if (!Peek().IsWord("locations"))
        {
            return null;
        }

        Next();
        if (!Peek().Is(TokenKind.LeftBracket))
        {
            ReportHere(found => Messages.ExpectedToken("[", "after 'locations'", found));
            return null;
        }

        Next();
        var items = new List<StateLocation>();
        while (!Peek().Is(TokenKind.RightBracket) && !Peek().Is(TokenKind.End))
        {
            var location = ParseStateLocation(Messages.ExpectedLocation);
            if (location is not null)
            {
                items.Add(location);
                if (Peek().Is(TokenKind.Semicolon))
                {
                    Next();
                    continue;
                }

                if (Peek().Is(TokenKind.RightBracket))
                {
                    break;
                }

                ReportHere(Messages.ExpectedLocationsSeparator);
            }

            while (Peek().Kind is not (TokenKind.Semicolon or TokenKind.RightBracket or TokenKind.End))
            {
                Next();
            }

            if (Peek().Is(TokenKind.Semicolon))
            {
                Next();
            }
        }

        if (!Peek().Is(TokenKind.RightBracket))
        {
            ReportHere(found => Messages.ExpectedToken("]", "to close the locations list", found));
            return SyntaxList.From(items);
        }

        Next();
        return SyntaxList.From(items);
    }

    private SyntaxList<Condition> ParseConditions()
    {
        var conditions = new List<Condition>();
        var ordinary = false;
        while (!Peek().Is(TokenKind.End))
        {
            var start = Peek();
            var crash = false;
            if (start.IsWord("crash"))
            {
                Next();
                crash = true;
            }

            Quantifier quantifier;
            var token = Peek();
            if (token.IsWord("exists"))
            {
                Next();
                quantifier = Quantifier.Exists;
            }
            else if (token.IsWord("forall"))
            {
                Next();
                quantifier = Quantifier.ForAll;
            }
            else if (token.Is(TokenKind.Tilde))
            {
                Next();
                if (!Peek().IsWord("exists"))
                {
                    ReportHere(Messages.ExpectedExists);
                    return SyntaxList.From(conditions);
                }

                Next();
                quantifier = Quantifier.NotExists;
            }
            else
            {
                ReportHere(crash ? Messages.ExpectedQuantifier
                    : conditions.Count == 0 ? Messages.ExpectedCondition : Messages.ExpectedEndOfFile);
                return SyntaxList.From(conditions);
            }

            var body = ParseProposition();
            if (body is null)
            {
                while (!Peek().Is(TokenKind.End) && !(Peek().IsWord("crash") || Peek().IsWord("exists")
                    || Peek().IsWord("forall") || Peek().Is(TokenKind.Tilde)))
                {
                    Next();
                }

                continue;
            }

            if (!crash)
            {
                if (ordinary)
                {
                    Report(start, Messages.DuplicateOrdinaryCondition);
                }

                ordinary = true;
            }

            conditions.Add(new Condition(crash, quantifier, body) { Location = LocationOf(start) });
        }

        if (conditions.Count == 0 && diagnostics.Count == 0)
        {
            ReportHere(Messages.ExpectedCondition);
        }

        return SyntaxList.From(conditions);
    }

    private Proposition? ParseProposition()
    {
        reportedDepth = false;
        return ParseImplication(0)?.Node;
    }

    private (Proposition Node, int Depth)? ParseImplication(int recursion)
    {
        var left = ParseDisjunction(recursion);
        if (left is null || !Peek().Is(TokenKind.Implies))
        {
            return left;
        }

        Next();
        var right = ParseImplication(recursion + 1);
        return right is null ? null : Combine(BinaryConnective.Implies, left.Value, right.Value);
    }

    private (Proposition Node, int Depth)? ParseDisjunction(int recursion)
    {
        var left = ParseConjunction(recursion);
        while (left is not null && Peek().Is(TokenKind.Or))
        {
            Next();
            var right = ParseConjunction(recursion);
            left = right is null ? null : Combine(BinaryConnective.Or, left.Value, right.Value);
        }

        return left;
    }

    private (Proposition Node, int Depth)? ParseConjunction(int recursion)
    {
        var left = ParseUnary(recursion);
        while (left is not null && Peek().Is(TokenKind.And))
        {
            Next();
            var right = ParseUnary(recursion);
            left = right is null ? null : Combine(BinaryConnective.And, left.Value, right.Value);
        }

        return left;
    }

    private (Proposition Node, int Depth)? Combine(
        BinaryConnective connective, (Proposition Node, int Depth) left, (Proposition Node, int Depth) right)
    {
        var depth = Math.Max(left.Depth, right.Depth) + 1;
        if (!CheckDepth(depth, recursion: 0))
        {
            return null;
        }

        return (new BinaryProposition(connective, left.Node, right.Node) { Location = left.Node.Location }, depth);
    }

    private bool CheckDepth(int depth, int recursion)
    {
        if (depth <= MaxPropositionDepth && recursion <= MaxRecursion)
        {
            return true;
        }

        if (!reportedDepth)
        {
            reportedDepth = true;
            Report(Peek(), Messages.NestingTooDeep(MaxPropositionDepth));
        }

        return false;
    }

    private (Proposition Node, int Depth)? ParseUnary(int recursion)
    {
        if (!CheckDepth(0, recursion))
        {
            return null;
        }

        var start = Peek();
        switch (start.Kind)
        {
            case TokenKind.Tilde:
                Next();
                var operand = ParseUnary(recursion + 1);
                if (operand is null || !CheckDepth(operand.Value.Depth + 1, recursion))
                {
                    return null;
                }

                return (new NotProposition(operand.Value.Node) { Location = LocationOf(start) }, operand.Value.Depth + 1);
            case TokenKind.LeftParen:
                Next();
                var inner = ParseImplication(recursion + 1);
                if (inner is null)
                {
                    return null;
                }

                if (!Peek().Is(TokenKind.RightParen))
                {
                    ReportHere(found => Messages.ExpectedToken(")", "to close '('", found));
                    return null;
                }

                Next();
                return inner;
            case TokenKind.Identifier when start.Text is "true" or "false" && !Peek(1).Is(TokenKind.Equals):
                Next();
                return (new ConstantProposition(start.Text == "true") { Location = LocationOf(start) }, 0);
            default:
                var target = ParseStateLocation(Messages.ExpectedProposition);
                if (target is null)
                {
                    return null;
                }

                if (!Peek().Is(TokenKind.Equals))
                {
                    ReportHere(Messages.ExpectedEquals);
                    return null;
                }

                Next();
                var value = ParseValue();
                return value is null ? null : (new EqualsAtom(target, value) { Location = LocationOf(start) }, 0);
        }
    }

    /// <summary>Checks what needs the whole file: thread numbers of register references, labels.</summary>
    private void Validate(SyntaxList<ThreadCode> threads)
    {
        if (threads.Count > 0)
        {
            foreach (var reference in registerReferences)
            {
                if (reference.Thread >= threads.Count)
                {
                    diagnostics.Report(reference.Location, Messages.NoSuchThread(reference.Thread, threads.Count));
                }
            }
        }

        var labels = new HashSet<string>[threads.Count];
        foreach (var thread in threads)
        {
            labels[thread.Id] = [];
            foreach (var line in thread.Lines)
            {
                if (line.Label is not null && !labels[thread.Id].Add(line.Label))
                {
                    diagnostics.Report(line.Location, Messages.DuplicateLabel(line.Label, thread.Id));
                }
            }
        }

        foreach (var (thread, target) in branchTargets)
        {
            if (!labels[thread].Contains(target.Name))
            {
                diagnostics.Report(target.Location, Messages.UndefinedLabel(target.Name, thread));
            }
        }
    }
}
