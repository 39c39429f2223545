namespace Coherence.Kernel.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(Coherence.Kernel.LayerInfo).Assembly);
}
