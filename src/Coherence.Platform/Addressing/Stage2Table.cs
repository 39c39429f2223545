using System.Text;

namespace Coherence.Platform.Addressing;

/// <summary>Renders <see cref="Arm64Stage2.Combine"/> over every stage-1 type and stage-2 encoding, for the docs.</summary>
public static class Stage2Table
{
    /// <summary>
    /// Two Markdown tables, FWB off and FWB on: one row per stage-1 type, one column per stage-2 MemAttr encoding
    /// (<see cref="Arm64Stage2.Encodings"/>), each cell the effective type. Lines end in '\n'; no trailing blank line.
    /// </summary>
    public static string RenderMarkdown()
    {
        var sb = new StringBuilder();
        RenderOne(sb, fwb: false);
        sb.Append('\n');
        RenderOne(sb, fwb: true);
        return sb.ToString().TrimEnd('\n');
    }

    private static void RenderOne(StringBuilder sb, bool fwb)
    {
        var encodings = Arm64Stage2.Encodings(fwb);
        sb.Append(fwb ? "FWB on (HCR_EL2.FWB=1):" : "FWB off (HCR_EL2.FWB=0):").Append("\n\n");
        sb.Append("| stage 1 | ");
        sb.AppendJoin(" | ", encodings.Select(Header));
        sb.Append(" |\n|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---|", encodings.Count)));
        sb.Append('\n');
        foreach (var s1 in Arm64MemoryTypes.All)
        {
            sb.Append("| ").Append(s1.ShortName()).Append(" | ");
            sb.AppendJoin(" | ", encodings.Select(e => Arm64Stage2.Combine(s1, e).ShortName()));
            sb.Append(" |\n");
        }
    }

    private static string Header(Stage2MemAttr e) =>
        e.Hex + " " + e.Describe() + (e.KernelName is { } name ? " `" + name + "`" : "");
}
