using Coherence.Platform.Choice;

namespace Coherence.Platform.Tests.Choice;

/// <summary>A chooser that declines background actions is never asked for them.</summary>
public class DecliningChooserTests
{
    private sealed class Declining(bool declines) : IChooser
    {
        public int BackgroundQuestions { get; private set; }

        public bool DeclinesBackground => declines;

        public int Choose(ChoiceKind kind, int count, int defaultOption)
        {
            if (kind == ChoiceKind.Background)
            {
                BackgroundQuestions++;
            }
            return kind == ChoiceKind.Background ? 0 : defaultOption;
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void The_machine_asks_for_background_actions_only_when_the_chooser_may_take_one(bool declines, bool asked)
    {
        var chooser = new Declining(declines);
        var p = new TestPlatform(chooser: chooser, spontaneous: true);
        var cpu = p.Machine.X86[0];
        cpu.Store(TestPlatform.Dram + 0x40, "abc"u8);
        cpu.Load(TestPlatform.Dram + 0x40, new byte[3]);
        Assert.Equal(asked, chooser.BackgroundQuestions > 0);
    }
}
