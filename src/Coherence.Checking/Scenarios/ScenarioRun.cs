using Coherence.Platform;

namespace Coherence.Checking.Scenarios;

/// <summary>The bytes a labelled read returned, with each byte's origin described.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Data">The bytes.</param>
/// <param name="Origins">Origin ids per byte.</param>
/// <param name="Outcome">How the load ended.</param>
public sealed record ReadResult(string Label, byte[] Data, uint[] Origins, AccessOutcome Outcome);

/// <summary>One expectation's verdict.</summary>
/// <param name="Expectation">The expectation.</param>
/// <param name="Held">Whether it held.</param>
/// <param name="Explanation">What was seen.</param>
public sealed record ExpectationResult(ExpectSpec Expectation, bool Held, string Explanation);

/// <summary>What running a scenario produced: a step-by-step trace, the reads, and the expectations' verdicts.</summary>
public sealed class ScenarioRun
{
    /// <summary>The trace: one header line per step, then its events indented.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>Reads by label.</summary>
    public Dictionary<string, ReadResult> Reads { get; } = new(StringComparer.Ordinal);

    /// <summary>Every expectation's verdict.</summary>
    public List<ExpectationResult> Results { get; } = [];

    /// <summary>Property violations of the run.</summary>
    public List<Properties.Violation> Violations { get; } = [];

    /// <summary>The machine after the run.</summary>
    public Machine? Machine { get; set; }

    /// <summary>True when every expectation held.</summary>
    public bool Passed => Results.TrueForAll(r => r.Held);
}
