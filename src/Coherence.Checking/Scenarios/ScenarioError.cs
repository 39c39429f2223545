namespace Coherence.Checking.Scenarios;

/// <summary>A scenario that cannot be built or run (bad platform values, unknown names), with where it was said.</summary>
public sealed class ScenarioError : Exception
{
    /// <summary>Creates the error.</summary>
    public ScenarioError(SourceSpan where, string message, Exception? inner = null)
        : base(message, inner) => Where = where;

    /// <summary>Where the offending construct is.</summary>
    public SourceSpan Where { get; }
}
