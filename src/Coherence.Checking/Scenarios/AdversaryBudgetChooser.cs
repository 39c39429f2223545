using Coherence.Platform.Choice;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// Puts the CPU's own adversarial choices under the scenario's adversary budget: a CLWB that invalidates the line
/// instead of keeping it clean (the non-default <see cref="ChoiceKind.ClwbRetain"/> answer) is a clean-line eviction,
/// so it costs one unit of the budget like a spontaneous eviction, and with the budget spent CLWB keeps the line
/// without asking. Every other decision goes to the inner chooser unchanged.
/// </summary>
/// <remarks>
/// Without this, a kernel step that issues n CLWBs (fsync over dirty DAX pages: 64 per page) branches 2^n ways
/// inside one step, where no state hashing can merge the branches.
/// </remarks>
/// <param name="inner">The chooser that makes the decisions.</param>
/// <param name="canSpend">True while the budget has a unit left.</param>
/// <param name="spend">Spends one unit.</param>
public sealed class AdversaryBudgetChooser(IChooser inner, Func<bool> canSpend, Action spend) : IChooser
{
    /// <inheritdoc/>
    public bool DeclinesBackground => inner.DeclinesBackground;

    /// <inheritdoc/>
    public int Choose(ChoiceKind kind, int count, int defaultOption)
    {
        if (kind != ChoiceKind.ClwbRetain)
        {
            return inner.Choose(kind, count, defaultOption);
        }
        if (!canSpend())
        {
            return defaultOption;
        }
        var c = inner.Choose(kind, count, defaultOption);
        if (c != defaultOption)
        {
            spend();
        }
        return c;
    }
}
