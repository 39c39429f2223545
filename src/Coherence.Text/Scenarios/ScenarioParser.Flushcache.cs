namespace Coherence.Text.Scenarios;

/// <summary>Flushcache, pmem and DAX operations of the scenario language: see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    /// <summary>Parses a flushcache/pmem statement starting with <paramref name="word"/>; false when the word is not one.</summary>
    private bool TryParseFlushcacheStatement(string word, string? label, ScenarioToken head)
    {
        _ = word;
        _ = label;
        _ = head;
        return false;
    }
}
