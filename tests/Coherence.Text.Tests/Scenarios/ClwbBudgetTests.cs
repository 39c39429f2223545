using Coherence.Checking.Scenarios;
using Coherence.Checking.Strategies;
using Coherence.Platform.Choice;
using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>A CLWB that drops its line spends the adversary budget, like a clean-line eviction.</summary>
public class ClwbBudgetTests
{
    private sealed class Recording(int answer) : IChooser
    {
        public List<ChoiceKind> Asked { get; } = [];

        public bool DeclinesBackground => true;

        public int Choose(ChoiceKind kind, int count, int defaultOption)
        {
            Asked.Add(kind);
            return answer;
        }
    }

    [Fact]
    public void A_dropping_clwb_spends_the_budget_and_a_spent_budget_keeps_the_line_without_asking()
    {
        var inner = new Recording(answer: 0); // 0 = drop the line (the default, 1, keeps it)
        var left = 1;
        var chooser = new AdversaryBudgetChooser(inner, () => left > 0, () => left--);
        Assert.Equal(0, chooser.Choose(ChoiceKind.ClwbRetain, 2, 1));
        Assert.Equal(0, left);
        Assert.Equal(1, chooser.Choose(ChoiceKind.ClwbRetain, 2, 1));
        Assert.Single(inner.Asked);
        Assert.Equal(0, chooser.Choose(ChoiceKind.Thread, 3, 2));
        Assert.Equal([ChoiceKind.ClwbRetain, ChoiceKind.Thread], inner.Asked);
        Assert.True(chooser.DeclinesBackground);
    }

    [Fact]
    public void A_keeping_clwb_costs_nothing()
    {
        var left = 1;
        var chooser = new AdversaryBudgetChooser(new Recording(answer: 1), () => left > 0, () => left--);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(1, chooser.Choose(ChoiceKind.ClwbRetain, 2, 1));
        }
        Assert.Equal(1, left);
    }

    [Fact]
    public void An_fsync_over_two_dirty_dax_pages_is_explored_exhaustively_within_a_bounded_number_of_executions()
    {
        // 128 CLWBs in one kernel step: 2^128 retain/drop combinations without the budget.
        var file = "flushcache-dax-mmap-fsync-adr.scn";
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/kernel", file));
        var spec = ScenarioParser.Parse(text, file).Spec!;
        var report = ScenarioChecker.Check(spec, ScenarioRunner.EffectivePolicies(spec, new Dictionary<string, string>()),
            new ExplorationOptions { AdversaryBudget = 1 }, plain: false);
        Assert.True(report.Stats.Complete);
        Assert.InRange(report.Stats.Executions, 2, 2000);
        Assert.True(report.Passed);
    }
}
