namespace Coherence.Text.Scenarios;

/// <summary>Kernel operations of the scenario language (memregion, NVDIMM, CXL, TDX, KVM): see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    /// <summary>Parses a kernel statement starting with <paramref name="word"/>; false when the word is not one.</summary>
    private bool TryParseKernelStatement(string word, string? label, ScenarioToken head)
    {
        _ = word;
        _ = label;
        _ = head;
        return false;
    }
}
