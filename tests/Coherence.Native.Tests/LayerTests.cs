namespace Coherence.Native.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(Coherence.Native.LayerInfo).Assembly);
}
