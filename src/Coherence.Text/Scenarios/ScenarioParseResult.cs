using Coherence.Checking.Scenarios;
using Coherence.Text.Diagnostics;

namespace Coherence.Text.Scenarios;

/// <summary>The result of parsing a scenario file: the scenario when there were no errors, and every diagnostic.</summary>
/// <param name="Spec">The scenario, or null when <paramref name="Diagnostics"/> is not empty.</param>
/// <param name="Diagnostics">Every error found, in file order.</param>
public sealed record ScenarioParseResult(ScenarioSpec? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the file parsed without errors.</summary>
    public bool Succeeded => Spec is not null;
}
