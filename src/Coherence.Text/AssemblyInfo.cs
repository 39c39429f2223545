namespace Coherence.Text;

/// <summary>Marks the Coherence.Text assembly; the layer's types live in its folders.</summary>
public static class LayerInfo
{
    /// <summary>The layer's name as DESIGN.md spells it.</summary>
    public const string Name = "Text";
}
