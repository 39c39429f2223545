namespace Coherence.Checking.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(Coherence.Checking.Scenarios.ScenarioSpec).Assembly);
}
