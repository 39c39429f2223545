namespace Coherence.Checking.Scenarios.Properties;

/// <summary>A property violated at one step of one execution, explained for a kernel engineer.</summary>
/// <param name="Property">The property's stable name.</param>
/// <param name="Step">The scenario step (1-based) where it happened.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record Violation(string Property, int Step, string Message);
