namespace Coherence.Checking.Strategies;

/// <summary>What an exploration did.</summary>
/// <param name="Executions">Executions started (including those cut at an already-explored state).</param>
/// <param name="States">Distinct states visited (exhaustive), or scheduling points (random, PCT).</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="Complete">True when every execution was explored to the end (exhaustive, no limit hit).</param>
/// <param name="StopReason">Why it stopped early, or null.</param>
public sealed record ExplorationStats(long Executions, long States, TimeSpan Elapsed, bool Complete, string? StopReason);
