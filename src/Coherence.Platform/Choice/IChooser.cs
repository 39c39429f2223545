namespace Coherence.Platform.Choice;

/// <summary>
/// Makes every nondeterministic decision of a run. A seed, a recorded decision list or an exhaustive search behind
/// this one interface reproduces or enumerates runs; the machine checks each answer is in range and throws
/// <see cref="InvalidOperationException"/> naming the step when it is not.
/// </summary>
public interface IChooser
{
    /// <summary>Returns an option in [0, <paramref name="count"/>) for a decision of <paramref name="kind"/>;
    /// <paramref name="defaultOption"/> is what the deterministic plain run takes.</summary>
    int Choose(ChoiceKind kind, int count, int defaultOption);

    /// <summary>
    /// True when this chooser answers every <see cref="ChoiceKind.Background"/> decision with "none" (option 0) and
    /// records nothing for it: the machine then skips building the list of enabled background actions at the end of
    /// each step. (An explorer that offers background actions itself between steps says so.)
    /// </summary>
    bool DeclinesBackground => false;
}
