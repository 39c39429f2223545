using Coherence.Platform;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// A scenario as the checker sees it: the platform to build, the steps to run in order, and the expectations to
/// judge. Built by the scenario language's parser (Coherence.Text) or by code.
/// </summary>
public sealed class ScenarioSpec
{
    /// <summary>The scenario's title.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the scenario was read from.</summary>
    public string File { get; set; } = "";

    /// <summary>The platform's shape.</summary>
    public PlatformConfig Platform { get; set; } = new();

    /// <summary>Devices, in declaration order.</summary>
    public List<DeviceSpec> Devices { get; } = [];

    /// <summary>Physical ranges, in declaration order.</summary>
    public List<RangeSpec> Ranges { get; } = [];

    /// <summary>Extra mappings (beyond the identity map of every range).</summary>
    public List<MappingSpec> Mappings { get; } = [];

    /// <summary>CPUs that run as guests.</summary>
    public List<GuestSpec> Guests { get; } = [];

    /// <summary>Policies the file selects (facility → variant); facilities not named run today's upstream variant.</summary>
    public Dictionary<string, string> Policies { get; } = new(StringComparer.Ordinal);

    /// <summary>How the file asks to be explored (<c>check exhaustive budget=2</c>), or null for the default.</summary>
    public Strategies.ExplorationOptions? Exploration { get; set; }

    /// <summary>True when the file asks for one plain run (<c>check plain</c>): buffers drain at each step's end, no adversary.</summary>
    public bool Plain { get; set; }

    /// <summary>The steps, in order.</summary>
    public List<StepSpec> Steps { get; } = [];

    /// <summary>The expectations.</summary>
    public List<ExpectSpec> Expectations { get; } = [];
}
