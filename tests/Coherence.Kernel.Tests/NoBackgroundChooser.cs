using Coherence.Platform.Choice;

namespace Coherence.Kernel.Tests;

/// <summary>A chooser that never runs background actions: a write-pending queue drains only when told to.</summary>
internal sealed class NoBackgroundChooser : IChooser
{
    public int Choose(ChoiceKind kind, int count, int defaultOption) => kind == ChoiceKind.Background ? 0 : defaultOption;
}
