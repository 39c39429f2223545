using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;

namespace Coherence.Kernel.Tests.Notifiers;

/// <summary>What differs between the flavours: changes during a call, and sleeping in atomic context.</summary>
public class NotifierContextTests
{
    private static NotifierBlock Logged(string name, int prio, List<string> log, bool maySleep = false) =>
        new(name, (_, _, _) =>
        {
            log.Add(name);
            return NotifyResult.Ok;
        }, prio, maySleep);

    [Fact]
    public void Raw_callback_may_unregister_itself_and_the_walk_goes_on()
    {
        var k = TestMachine.Boot();
        var chain = new RawNotifierChain(k, "c");
        var log = new List<string>();
        NotifierBlock? self = null;
        self = new NotifierBlock("self", (_, _, _) =>
        {
            log.Add("self");
            Assert.Equal(Errno.Ok, chain.Unregister(self!));
            return NotifyResult.Ok;
        }, 5);
        chain.Register(Logged("first", 9, log));
        chain.Register(self);
        chain.Register(Logged("last", 1, log));
        Assert.Equal(NotifyResult.Ok, chain.Call(0));
        Assert.Equal(["first", "self", "last"], log);
        Assert.Equal(["first", "last"], chain.Blocks.Select(b => b.Name));
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void Raw_callback_removing_the_next_block_still_calls_it_this_time()
    {
        var k = TestMachine.Boot();
        var chain = new RawNotifierChain(k, "c");
        var log = new List<string>();
        var next = Logged("next", 1, log);
        chain.Register(new NotifierBlock("remover", (_, _, _) =>
        {
            log.Add("remover");
            chain.Unregister(next);
            return NotifyResult.Ok;
        }, 5));
        chain.Register(next);
        chain.Call(0);
        Assert.Equal(["remover", "next"], log);
        log.Clear();
        chain.Call(0);
        Assert.Equal(["remover"], log);
    }

    [Fact]
    public void Raw_callback_adding_a_block_right_after_itself_is_not_called_this_time()
    {
        var k = TestMachine.Boot();
        var chain = new RawNotifierChain(k, "c");
        var log = new List<string>();
        var added = Logged("added", 4, log);
        chain.Register(new NotifierBlock("adder", (_, _, _) =>
        {
            log.Add("adder");
            if (added.Chain is null)
            {
                chain.Register(added);
            }
            return NotifyResult.Ok;
        }, 5));
        chain.Register(Logged("low", 1, log));
        chain.Call(0);
        Assert.Equal(["adder", "low"], log);
        log.Clear();
        chain.Call(0);
        Assert.Equal(["adder", "added", "low"], log);
    }

    [Fact]
    public void Blocking_callback_unregistering_itself_deadlocks_on_the_rwsem()
    {
        var k = TestMachine.Boot();
        var chain = new BlockingNotifierChain(k, "c");
        NotifierBlock? self = null;
        self = new NotifierBlock("self", (_, _, _) => NotifyResult.FromErrno(chain.Unregister(self!)));
        chain.Register(self);
        Assert.Throws<KernelHangException>(() => chain.Call(0));
        var w = Assert.Single(k.Warnings);
        Assert.Equal((KernelWarningKind.Deadlock, "blocking_notifier_chain_unregister"), (w.Kind, w.Function));
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "WARNING: possible recursive locking detected"), k.Log);
        // The read lock was released on the way out: the chain is usable again.
        Assert.Equal(Errno.Ok, chain.Unregister(self));
    }

    [Fact]
    public void Blocking_callback_may_unregister_itself_while_the_system_is_booting()
    {
        BlockingNotifierChain? chain = null;
        var log = new List<string>();
        var k = KernelModel.Boot(TestMachine.Create(), null, kk =>
        {
            chain = new BlockingNotifierChain(kk, "c");
            NotifierBlock? self = null;
            self = new NotifierBlock("self", (_, _, _) =>
            {
                log.Add("self");
                return NotifyResult.FromErrno(chain.Unregister(self!));
            });
            chain.Register(self);
            chain.Register(Logged("after", -1, log));
            Assert.Equal(NotifyResult.Ok, chain.Call(0));
        });
        Assert.Equal(["self", "after"], log);
        Assert.Equal(["after"], chain!.Blocks.Select(b => b.Name));
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void Atomic_callback_unregistering_itself_calls_synchronize_rcu_inside_rcu_and_hangs()
    {
        var k = TestMachine.Boot();
        var chain = new AtomicNotifierChain(k, "c");
        NotifierBlock? self = null;
        self = new NotifierBlock("self", (_, _, _) => NotifyResult.FromErrno(chain.Unregister(self!)));
        chain.Register(self);
        Assert.Throws<KernelHangException>(() => chain.Call(0));
        Assert.Equal(KernelWarningKind.Deadlock, Assert.Single(k.Warnings).Kind);
        Assert.Equal(0, k.RcuReadDepth);
        Assert.False(k.InAtomic);
    }

    [Fact]
    public void Atomic_callback_may_register_another_block_which_runs_from_the_next_call()
    {
        var k = TestMachine.Boot();
        var chain = new AtomicNotifierChain(k, "c");
        var log = new List<string>();
        var added = Logged("added", -5, log);
        chain.Register(new NotifierBlock("adder", (_, _, _) => NotifyResult.FromErrno(added.Chain is null ? chain.Register(added) : Errno.Ok)));
        Assert.Equal(NotifyResult.Ok, chain.Call(0));
        Assert.Empty(log);
        chain.Call(0);
        Assert.Equal(["added"], log);
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void A_sleeping_callback_on_an_atomic_chain_is_a_bug_report()
    {
        var k = TestMachine.Boot();
        var chain = new AtomicNotifierChain(k, "panic_notifier_list");
        var log = new List<string>();
        chain.Register(Logged("sleeper", 0, log, maySleep: true));
        chain.Register(Logged("fine", -1, log));
        Assert.Equal(NotifyResult.Ok, chain.Call(0));
        var w = Assert.Single(k.Warnings);
        Assert.Equal((KernelWarningKind.SleepInAtomic, "sleeper"), (w.Kind, w.Function));
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Err, "BUG: sleeping function called from invalid context at kernel/notifier.c"), k.Log);
    }

    [Fact]
    public void A_sleeping_callback_on_a_blocking_chain_in_process_context_is_fine()
    {
        var k = TestMachine.Boot();
        var chain = new BlockingNotifierChain(k, "reboot_notifier_list");
        chain.Register(Logged("sleeper", 0, [], maySleep: true));
        chain.Call(0);
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void Calling_a_nonempty_blocking_chain_in_atomic_context_is_a_bug_report_but_an_empty_one_is_not()
    {
        var k = TestMachine.Boot();
        var chain = new BlockingNotifierChain(k, "c");
        using (k.EnterAtomic())
        {
            Assert.Equal(NotifyResult.Done, chain.Call(0));
        }
        Assert.Empty(k.Warnings);
        chain.Register(Logged("a", 0, []));
        using (k.EnterAtomic())
        {
            chain.Call(0);
        }
        var w = Assert.Single(k.Warnings);
        Assert.Equal((KernelWarningKind.SleepInAtomic, "blocking_notifier_call_chain", "kernel/locking/rwsem.c"), (w.Kind, w.Function, w.File));
    }

    [Fact]
    public void Register_in_atomic_context_is_a_bug_for_blocking_and_fine_for_atomic_and_raw()
    {
        var k = TestMachine.Boot();
        using (k.EnterAtomic())
        {
            new AtomicNotifierChain(k, "a").Register(Logged("x", 0, []));
            new RawNotifierChain(k, "r").Register(Logged("y", 0, []));
            Assert.Empty(k.Warnings);
            new BlockingNotifierChain(k, "b").Register(Logged("z", 0, []));
        }
        Assert.Equal("blocking_notifier_chain_register", Assert.Single(k.Warnings).Function);
    }

    [Fact]
    public void Atomic_unregister_in_atomic_context_is_a_bug_report()
    {
        var k = TestMachine.Boot();
        var chain = new AtomicNotifierChain(k, "a");
        var nb = Logged("x", 0, []);
        chain.Register(nb);
        using (k.EnterAtomic())
        {
            Assert.Equal(Errno.Ok, chain.Unregister(nb));
        }
        Assert.Equal((KernelWarningKind.SleepInAtomic, "atomic_notifier_chain_unregister"), (k.Warnings[0].Kind, k.Warnings[0].Function));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void A_raw_chain_checks_only_the_callers_context(bool atomic, int reports)
    {
        var k = TestMachine.Boot();
        var chain = new RawNotifierChain(k, "r");
        chain.Register(Logged("sleeper", 0, [], maySleep: true));
        if (atomic)
        {
            using (k.EnterAtomic())
            {
                chain.Call(0);
            }
        }
        else
        {
            chain.Call(0);
        }
        Assert.Equal(reports, k.Warnings.Count);
    }

    [Fact]
    public void Debug_atomic_sleep_off_reports_nothing()
    {
        var k = TestMachine.Boot(config: new KernelConfig { DebugAtomicSleep = false });
        var chain = new AtomicNotifierChain(k, "a");
        chain.Register(Logged("sleeper", 0, [], maySleep: true));
        chain.Call(0);
        Assert.Empty(k.Warnings);
    }

    /// <summary>Seed 002: tdx_reset_memory() calls the chain and prints on any error.</summary>
    [Theory]
    [InlineData(NotifyResult.Ok, Errno.Ok)]
    [InlineData(NotifyResult.Done, Errno.Ok)]
    [InlineData(NotifyResult.Bad, Errno.EPERM)]
    public void Tdx_memory_reset_chain_as_the_seed_uses_it(int kvmReturns, Errno expected)
    {
        var k = TestMachine.Boot();
        var chain = new BlockingNotifierChain(k, "tdx_memory_reset_chain");
        Assert.Equal(Errno.Ok, chain.Register(new NotifierBlock("kvm_tdx_reset_memory", (_, _, _) => kvmReturns)));
        var err = NotifyResult.ToErrno(chain.Call(0));
        if (err != Errno.Ok)
        {
            k.PrErr("Failed to reset all TDX private pages.");
        }
        Assert.Equal(expected, err);
        Assert.Equal(expected != Errno.Ok, k.Log.Contains(new KernelLogEntry(KernelLogLevel.Err, "Failed to reset all TDX private pages.")));
    }
}
