namespace Coherence.Platform.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("Platform", Coherence.Platform.LayerInfo.Name);
}
