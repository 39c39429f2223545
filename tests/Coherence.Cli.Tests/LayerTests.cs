namespace Coherence.Cli.Tests;

public class LayerTests
{
    [Fact]
    public void Assembly_loads() => Assert.NotNull(typeof(Coherence.Cli.ExitCode).Assembly);
}
