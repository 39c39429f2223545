namespace Coherence.Text.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(Coherence.Text.LayerInfo).Assembly);
}
