using System.Globalization;
using System.Text;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Printing;

/// <summary>
/// Prints a litmus syntax tree in canonical litmus syntax: one info line per line, memory initialisers on one
/// line and each thread's register initialisers on their own, aligned thread columns, normalised mnemonics and
/// registers, decimal integers, and only the parentheses that precedence needs.
/// </summary>
/// <remarks>Invariant: for every parsed test <c>t</c>, parsing <c>Print(t)</c> gives a test equal to <c>t</c>.</remarks>
public static class LitmusPrinter
{
    /// <summary>Prints a whole test.</summary>
    /// <param name="test">The test.</param>
    /// <returns>The litmus text, ending with a newline.</returns>
    public static string Print(LitmusTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var text = new StringBuilder();
        text.Append(ArchitectureName(test.Architecture)).Append(' ').Append(test.Name).Append('\n');
        if (test.Description is not null)
        {
            text.Append('"').Append(test.Description).Append("\"\n");
        }

        foreach (var info in test.Info)
        {
            text.Append(info.Key).Append('=').Append(info.Value).Append('\n');
        }

        PrintInit(text, test.Init);
        PrintThreads(text, test.Architecture, test.Threads);
        if (test.Locations is { } locations)
        {
            text.Append("locations [");
            foreach (var location in locations)
            {
                text.Append(FormatLocation(location)).Append("; ");
            }

            text.Append("]\n");
        }

        if (test.Filter is not null)
        {
            text.Append("filter (").Append(FormatProposition(test.Filter)).Append(")\n");
        }

        foreach (var condition in test.Conditions)
        {
            text.Append(FormatCondition(condition)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The architecture's name as the first line spells it.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns><c>X86</c>, <c>X86_64</c> or <c>AArch64</c>.</returns>
    public static string ArchitectureName(Architecture architecture) => architecture switch
    {
        Architecture.X86 => "X86",
        Architecture.X86_64 => "X86_64",
        _ => "AArch64",
    };

    /// <summary>Formats a condition: <c>crash ~exists (x=0 /\ y=1)</c>.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The text.</returns>
    public static string FormatCondition(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var quantifier = condition.Quantifier switch
        {
            Quantifier.Exists => "exists",
            Quantifier.NotExists => "~exists",
            _ => "forall",
        };
        return (condition.Crash ? "crash " : string.Empty) + quantifier + " (" + FormatProposition(condition.Body) + ")";
    }

    /// <summary>Formats a proposition with the fewest parentheses that keep its structure.</summary>
    /// <param name="proposition">The proposition.</param>
    /// <returns>The text.</returns>
    public static string FormatProposition(Proposition proposition)
    {
        var text = new StringBuilder();
        AppendProposition(text, proposition, 0);
        return text.ToString();
    }

    /// <summary>Formats a location: <c>x</c> or <c>0:EAX</c>.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The text.</returns>
    public static string FormatLocation(StateLocation location) => location switch
    {
        MemoryLocation memory => memory.Name,
        RegisterLocation register => register.Thread.ToString(CultureInfo.InvariantCulture) + ":" + register.Register,
        _ => throw new ArgumentOutOfRangeException(nameof(location)),
    };

    /// <summary>Formats a value: an integer in decimal, or a location name.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string FormatValue(LitmusValue value) => value switch
    {
        IntegerValue integer => integer.Value.ToString(CultureInfo.InvariantCulture),
        AddressValue address => address.Symbol,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Formats an instruction in the architecture's syntax: <c>LOCK XADD [x],EAX</c>, <c>movl $1,(x)</c>.</summary>
    /// <param name="architecture">The architecture whose syntax to use.</param>
    /// <param name="instruction">The instruction.</param>
    /// <returns>The text.</returns>
    public static string FormatInstruction(Architecture architecture, Instruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var text = new StringBuilder();
        if (instruction.Lock)
        {
            text.Append(architecture == Architecture.X86_64 ? "lock " : "LOCK ");
        }

        text.Append(instruction.Mnemonic);
        var optionFirst = instruction.Operands.Count > 1 && instruction.Operands[0] is OptionOperand;
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            text.Append(i == 0 ? " " : optionFirst && i == 1 ? ", " : ",");
            text.Append(FormatOperand(architecture, instruction.Operands[i]));
        }

        return text.ToString();
    }

    /// <summary>Formats an operand in the architecture's syntax.</summary>
    /// <param name="architecture">The architecture whose syntax to use.</param>
    /// <param name="operand">The operand.</param>
    /// <returns>The text.</returns>
    public static string FormatOperand(Architecture architecture, Operand operand) => operand switch
    {
        RegisterOperand register => architecture == Architecture.X86_64 ? "%" + register.Name : register.Name,
        ImmediateOperand immediate =>
            (architecture == Architecture.AArch64 ? "#" : "$") + immediate.Value.ToString(CultureInfo.InvariantCulture),
        MemoryOperand memory => architecture switch
        {
            Architecture.X86 => FormatIntelMemory(memory),
            Architecture.X86_64 => FormatAttMemory(memory),
            _ => FormatArmMemory(memory),
        },
        LabelOperand label => label.Name,
        OptionOperand option => option.Name,
        _ => throw new ArgumentOutOfRangeException(nameof(operand)),
    };

    private static string FormatOffset(long offset, bool signed) =>
        offset < 0
            ? "-" + unchecked((ulong)-offset).ToString(CultureInfo.InvariantCulture)
            : (signed ? "+" : string.Empty) + offset.ToString(CultureInfo.InvariantCulture);

    private static string FormatIntelMemory(MemoryOperand memory)
    {
        var parts = new List<string>(3);
        if (memory.Symbol is not null)
        {
            parts.Add(memory.Symbol);
        }

        if (memory.Base is not null)
        {
            parts.Add(memory.Base);
        }

        if (memory.Index is not null)
        {
            parts.Add(memory.Index);
        }

        var text = "[" + string.Join('+', parts);
        if (memory.Offset != 0 || parts.Count == 0)
        {
            text += FormatOffset(memory.Offset, parts.Count > 0);
        }

        return text + "]";
    }

    private static string FormatAttMemory(MemoryOperand memory)
    {
        if (memory.Base is null)
        {
            var prefix = memory.Offset != 0 ? FormatOffset(memory.Offset, false) : string.Empty;
            return prefix + "(" + memory.Symbol + ")";
        }

        var displacement = memory.Symbol ?? (memory.Offset != 0 ? FormatOffset(memory.Offset, false) : string.Empty);
        var index = memory.Index is null ? string.Empty : ",%" + memory.Index;
        return displacement + "(%" + memory.Base + index + ")";
    }

    private static string FormatArmMemory(MemoryOperand memory)
    {
        var text = "[" + (memory.Base ?? memory.Symbol);
        if (memory.Index is not null)
        {
            text += "," + memory.Index;
            if (memory.Extend is not null)
            {
                text += "," + memory.Extend;
                if (memory.Shift != 0)
                {
                    text += " #" + memory.Shift.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        if (memory.Offset != 0)
        {
            text += ",#" + memory.Offset.ToString(CultureInfo.InvariantCulture);
        }

        return text + "]";
    }

    private static void PrintInit(StringBuilder text, SyntaxList<InitItem> init)
    {
        if (init.Count == 0)
        {
            text.Append("{}\n");
            return;
        }

        // Items keep their order; a new line starts whenever the owner (memory, or thread n) changes.
        text.Append('{');
        int? owner = null;
        foreach (var item in init)
        {
            var itemOwner = item.Target is RegisterLocation register ? register.Thread : -1;
            text.Append(itemOwner == owner ? " " : "\n ");
            owner = itemOwner;
            text.Append(item.Type is null ? string.Empty : item.Type + " ").Append(FormatLocation(item.Target));
            if (item.Value is not null)
            {
                text.Append('=').Append(FormatValue(item.Value));
            }

            text.Append(';');
        }

        text.Append('\n');
        text.Append("}\n");
    }

    private static void PrintThreads(StringBuilder text, Architecture architecture, SyntaxList<ThreadCode> threads)
    {
        var rows = 0;
        foreach (var thread in threads)
        {
            rows = Math.Max(rows, thread.Lines.Count);
        }

        var cells = new string[rows + 1, threads.Count];
        var widths = new int[threads.Count];
        for (var t = 0; t < threads.Count; t++)
        {
            cells[0, t] = "P" + threads[t].Id.ToString(CultureInfo.InvariantCulture);
            for (var r = 0; r < rows; r++)
            {
                cells[r + 1, t] = r < threads[t].Lines.Count ? FormatLine(architecture, threads[t].Lines[r]) : string.Empty;
            }

            for (var r = 0; r <= rows; r++)
            {
                widths[t] = Math.Max(widths[t], cells[r, t].Length);
            }
        }

        for (var r = 0; r <= rows; r++)
        {
            var line = new StringBuilder();
            for (var t = 0; t < threads.Count; t++)
            {
                line.Append(' ').Append(cells[r, t].PadRight(widths[t])).Append(t + 1 < threads.Count ? " |" : " ;");
            }

            text.Append(line).Append('\n');
        }
    }

    private static string FormatLine(Architecture architecture, CodeLine line)
    {
        var label = line.Label is null ? string.Empty : line.Label + ":";
        if (line.Instruction is null)
        {
            return label;
        }

        return (label.Length > 0 ? label + " " : string.Empty) + FormatInstruction(architecture, line.Instruction);
    }

    private static int Precedence(Proposition proposition) => proposition switch
    {
        BinaryProposition { Connective: BinaryConnective.Implies } => 1,
        BinaryProposition { Connective: BinaryConnective.Or } => 2,
        BinaryProposition { Connective: BinaryConnective.And } => 3,
        _ => 4,
    };

    /// <summary>Appends a proposition, parenthesised when its precedence is below <paramref name="minimum"/>.</summary>
    private static void AppendProposition(StringBuilder text, Proposition proposition, int minimum)
    {
        var precedence = Precedence(proposition);
        var parenthesise = precedence < minimum;
        if (parenthesise)
        {
            text.Append('(');
        }

        switch (proposition)
        {
            case EqualsAtom atom:
                text.Append(FormatLocation(atom.Target)).Append('=').Append(FormatValue(atom.Value));
                break;
            case ConstantProposition constant:
                text.Append(constant.Value ? "true" : "false");
                break;
            case NotProposition not:
                text.Append('~');
                AppendProposition(text, not.Operand, 4);
                break;
            case BinaryProposition binary:
                var connective = binary.Connective switch
                {
                    BinaryConnective.And => @" /\ ",
                    BinaryConnective.Or => @" \/ ",
                    _ => " => ",
                };

                // /\ and \/ group to the left, => to the right: the other side needs a tighter operand.
                var leftAssociative = binary.Connective != BinaryConnective.Implies;
                AppendProposition(text, binary.Left, leftAssociative ? precedence : precedence + 1);
                text.Append(connective);
                AppendProposition(text, binary.Right, leftAssociative ? precedence + 1 : precedence);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(proposition));
        }

        if (parenthesise)
        {
            text.Append(')');
        }
    }
}
