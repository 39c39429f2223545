using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;

namespace Coherence.Kernel.Tests.Notifiers;

/// <summary>kernel/notifier.c list semantics, the same on every flavour.</summary>
public class NotifierChainSemanticsTests
{
    private static NotifierBlock Block(string name, int prio, List<string> log, int ret = NotifyResult.Ok) =>
        new(name, (_, a, _) =>
        {
            log.Add(name);
            return ret;
        }, prio);

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        return Permute(a, 0);

        static IEnumerable<int[]> Permute(int[] a, int k)
        {
            if (k == a.Length)
            {
                yield return (int[])a.Clone();
                yield break;
            }
            for (var i = k; i < a.Length; i++)
            {
                (a[k], a[i]) = (a[i], a[k]);
                foreach (var p in Permute(a, k + 1))
                {
                    yield return p;
                }
                (a[k], a[i]) = (a[i], a[k]);
            }
        }
    }

    /// <summary>Every priority assignment from {-1,0,1} to n blocks (3^n), with every registration order (n!).</summary>
    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Call_order_is_priority_descending_then_registration_order_for_every_permutation(string flavour)
    {
        var checkedCases = 0;
        var k = TestMachine.Boot();
        for (var n = 1; n <= 4; n++)
        {
            var assignments = (int)Math.Pow(3, n);
            for (var code = 0; code < assignments; code++)
            {
                var prios = new int[n];
                var c = code;
                for (var i = 0; i < n; i++)
                {
                    prios[i] = (c % 3) - 1;
                    c /= 3;
                }
                foreach (var order in Permutations(n))
                {
                    var chain = ChainFlavour.Named(flavour).Create(k);
                    var log = new List<string>();
                    var blocks = Enumerable.Range(0, n).Select(i => Block($"b{i}", prios[i], log)).ToArray();
                    foreach (var i in order)
                    {
                        Assert.Equal(Errno.Ok, ChainFlavour.Register(chain, blocks[i]));
                    }
                    // Oracle: a stable sort of the registration order by descending priority.
                    var expected = order.Select((b, pos) => (b, pos)).OrderByDescending(t => prios[t.b]).ThenBy(t => t.pos).Select(t => $"b{t.b}").ToList();
                    Assert.Equal(NotifyResult.Ok, ChainFlavour.Call(chain));
                    Assert.Equal(expected, log);
                    Assert.Equal(expected, chain.Blocks.Select(b => b.Name));
                    checkedCases++;
                }
            }
        }
        Assert.Equal(3 + 9 * 2 + 27 * 6 + 81 * 24, checkedCases);
    }

    private static readonly int[] Returns = [NotifyResult.Done, NotifyResult.Ok, NotifyResult.Stop, NotifyResult.Bad, NotifyResult.FromErrno(Errno.EIO), NotifyResult.StopMask, 0x2];

    /// <summary>Every combination of return values for three blocks (7^3), every nr_to_call from -1 to 4.</summary>
    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Result_is_the_last_callbacks_value_and_stop_mask_stops(string flavour)
    {
        var k = TestMachine.Boot();
        foreach (var r0 in Returns)
        {
            foreach (var r1 in Returns)
            {
                foreach (var r2 in Returns)
                {
                    int[] rets = [r0, r1, r2];
                    for (var nrToCall = -1; nrToCall <= 4; nrToCall++)
                    {
                        var chain = ChainFlavour.Named(flavour).Create(k);
                        var log = new List<string>();
                        for (var i = 0; i < 3; i++)
                        {
                            ChainFlavour.Register(chain, Block($"b{i}", 10 - i, log, rets[i]));
                        }
                        var ret = ChainFlavour.Call(chain, 7, nrToCall, out var nrCalls);
                        // Oracle written independently of the chain walk.
                        var expectedCalls = 0;
                        var expectedRet = NotifyResult.Done;
                        var limit = nrToCall < 0 ? int.MaxValue : nrToCall;
                        while (expectedCalls < 3 && expectedCalls < limit)
                        {
                            expectedRet = rets[expectedCalls];
                            expectedCalls++;
                            if ((expectedRet & 0x8000) != 0)
                            {
                                break;
                            }
                        }
                        Assert.Equal(expectedRet, ret);
                        Assert.Equal(expectedCalls, nrCalls);
                        Assert.Equal(Enumerable.Range(0, expectedCalls).Select(i => $"b{i}"), log);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Empty_chain_returns_done(string flavour)
    {
        var chain = ChainFlavour.Named(flavour).Create(TestMachine.Boot());
        Assert.True(chain.IsEmpty);
        Assert.Equal(NotifyResult.Done, ChainFlavour.Call(chain, 0, -1, out var n));
        Assert.Equal(0, n);
    }

    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Double_registration_warns_and_returns_eexist(string flavour)
    {
        var k = TestMachine.Boot();
        var chain = ChainFlavour.Named(flavour).Create(k);
        var log = new List<string>();
        var a = Block("a", 0, log);
        var b = Block("b", 5, log);
        Assert.Equal(Errno.Ok, ChainFlavour.Register(chain, b));
        Assert.Equal(Errno.Ok, ChainFlavour.Register(chain, a));
        Assert.Equal(Errno.EEXIST, ChainFlavour.Register(chain, a));
        Assert.Equal(Errno.EEXIST, ChainFlavour.Register(chain, b));
        Assert.Equal(["b", "a"], chain.Blocks.Select(x => x.Name));
        Assert.Equal(2, k.Warnings.Count);
        Assert.All(k.Warnings, w => Assert.Equal(("notifier_chain_register", "kernel/notifier.c"), (w.Function, w.File)));
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "notifier callback a already registered"), k.Log);
    }

    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Unregistering_an_absent_block_is_enoent(string flavour)
    {
        var k = TestMachine.Boot();
        var chain = ChainFlavour.Named(flavour).Create(k);
        var log = new List<string>();
        var a = Block("a", 0, log);
        Assert.Equal(Errno.ENOENT, ChainFlavour.Unregister(chain, a));
        ChainFlavour.Register(chain, a);
        Assert.Equal(Errno.Ok, ChainFlavour.Unregister(chain, a));
        Assert.Equal(Errno.ENOENT, ChainFlavour.Unregister(chain, a));
        Assert.Null(a.Chain);
        Assert.Equal(Errno.Ok, ChainFlavour.Register(chain, a));
    }

    [Theory]
    [MemberData(nameof(ChainFlavour.All), MemberType = typeof(ChainFlavour))]
    public void Unregistering_each_position_keeps_the_rest_in_order(string flavour)
    {
        for (var victim = 0; victim < 4; victim++)
        {
            var chain = ChainFlavour.Named(flavour).Create(TestMachine.Boot());
            var log = new List<string>();
            var blocks = Enumerable.Range(0, 4).Select(i => Block($"b{i}", 4 - i, log)).ToArray();
            foreach (var b in blocks)
            {
                ChainFlavour.Register(chain, b);
            }
            Assert.Equal(Errno.Ok, ChainFlavour.Unregister(chain, blocks[victim]));
            ChainFlavour.Call(chain);
            Assert.Equal(Enumerable.Range(0, 4).Where(i => i != victim).Select(i => $"b{i}"), log);
        }
    }

    [Fact]
    public void A_block_cannot_sit_on_two_chains()
    {
        var k = TestMachine.Boot();
        var a = new RawNotifierChain(k, "a");
        var b = new RawNotifierChain(k, "b");
        var nb = new NotifierBlock("x", (_, _, _) => NotifyResult.Ok);
        a.Register(nb);
        Assert.Throws<InvalidOperationException>(() => b.Register(nb));
        a.Unregister(nb);
        Assert.Equal(Errno.Ok, b.Register(nb));
    }

    [Theory]
    [InlineData("blocking")]
    [InlineData("atomic")]
    public void Unique_priority_registration_refuses_an_equal_priority_with_ebusy(string flavour)
    {
        var k = TestMachine.Boot();
        var log = new List<string>();
        var a = Block("a", 1, log);
        var b = Block("b", 1, log);
        var c = Block("c", 2, log);
        Func<NotifierBlock, Errno> reg = flavour == "blocking"
            ? new BlockingNotifierChain(k, "c").RegisterUniquePriority
            : new AtomicNotifierChain(k, "c").RegisterUniquePriority;
        Assert.Equal(Errno.Ok, reg(a));
        Assert.Equal(Errno.EBUSY, reg(b));
        Assert.Equal(Errno.Ok, reg(c));
        Assert.Equal(Errno.EEXIST, reg(a));
    }

    [Fact]
    public void Data_and_action_reach_every_callback()
    {
        var k = TestMachine.Boot();
        var chain = new RawNotifierChain(k, "c");
        var seen = new List<(ulong, object?)>();
        chain.Register(new NotifierBlock("a", (_, act, d) =>
        {
            seen.Add((act, d));
            return NotifyResult.Done;
        }));
        var payload = new object();
        chain.Call(42, payload);
        Assert.Equal([(42UL, payload)], seen);
        Assert.Single(k.Events, e => e.Kind == KernelEventKind.NotifierCall && e.Detail == "c: a(42) = NOTIFY_DONE");
    }

    /// <summary>The kernel has robust calls for blocking and raw chains only.</summary>
    [Theory]
    [InlineData("blocking")]
    [InlineData("raw")]
    public void Robust_call_rolls_back_every_block_before_the_one_that_refused(string flavour)
    {
        for (var refuser = 0; refuser <= 3; refuser++)
        {
            var k = TestMachine.Boot();
            var chain = ChainFlavour.Named(flavour).Create(k);
            var log = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var id = i;
                ChainFlavour.Register(chain, new NotifierBlock($"b{i}", (_, act, _) =>
                {
                    log.Add($"b{id}:{act}");
                    return act == 1 && id == refuser ? NotifyResult.Bad : NotifyResult.Ok;
                }, 10 - i));
            }
            var ret = chain is BlockingNotifierChain b ? b.CallRobust(1, 2) : ((RawNotifierChain)chain).CallRobust(1, 2);
            var up = Enumerable.Range(0, Math.Min(refuser + 1, 3)).Select(i => $"b{i}:1");
            var down = refuser < 3 ? Enumerable.Range(0, refuser).Select(i => $"b{i}:2") : [];
            Assert.Equal(up.Concat(down), log);
            Assert.Equal(refuser < 3 ? NotifyResult.Bad : NotifyResult.Ok, ret);
        }
    }
}
