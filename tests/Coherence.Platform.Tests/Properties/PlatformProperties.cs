using Coherence.Platform.Caches;
using Coherence.Platform.Choice;
using Coherence.Platform.Events;
using CsCheck;

namespace Coherence.Platform.Tests.Properties;

public class PlatformProperties
{
    private static readonly Gen<Op> AnyOp =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 12], Gen.Int[0, 7], Gen.Int[0, 7], Gen.ULong,
            (cpu, kind, line, word, value) => new Op(cpu, kind, line, word * 8, value));

    private static readonly Gen<Op> PlainOp =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 10], Gen.Int[0, 7], Gen.Int[0, 7], Gen.ULong,
            (cpu, kind, line, word, value) => new Op(cpu, kind == 9 ? 8 : kind, line, word * 8, value));

    private static readonly Gen<(ulong Seed, Op[] Ops)> Runs = Gen.Select(Gen.ULong, AnyOp.Array[1, 60], (s, o) => (s, o));

    [Fact]
    public void At_most_one_dirty_owner_and_equal_copies_under_any_legal_choices()
    {
        Runs.Sample(run =>
        {
            var m = RandomRuns.NewMachine(new RandomChooser(run.Seed));
            var p = new Wrapped(m);
            Span<byte> data = stackalloc byte[64];
            Span<uint> origins = stackalloc uint[64];
            foreach (var op in run.Ops)
            {
                RandomRuns.Execute(m, op, data, origins);
                p.AssertInvariants();
            }
        }, iter: 300);
    }

    [Fact]
    public void Without_device_events_every_load_returns_the_newest_store_in_coherence_order()
    {
        Gen.Select(Gen.ULong, PlainOp.Array[1, 80], (s, o) => (Seed: s, Ops: o)).Sample(run =>
        {
            var m = RandomRuns.NewMachine(new RandomChooser(run.Seed));
            var shadow = new ShadowMemory(m);
            m.Observer = shadow;
            Span<byte> data = stackalloc byte[64];
            Span<uint> origins = stackalloc uint[64];
            Span<byte> expected = stackalloc byte[8];
            Span<uint> expectedOrigins = stackalloc uint[8];
            foreach (var op in run.Ops)
            {
                var isLoad = op.Kind <= 1;
                var va = RandomRuns.Address(op.Line, op.Offset);
                if (isLoad)
                {
                    shadow.Read(va, expected, expectedOrigins);
                    m.Cpus[op.Cpu].StoreBuffer.Forward(va, expected, expectedOrigins);
                }
                var outcome = RandomRuns.Execute(m, op, data, origins);
                Assert.Equal(AccessOutcome.Ok, outcome);
                if (isLoad)
                {
                    Assert.Equal(expected.ToArray(), data[..8].ToArray());
                    Assert.Equal(expectedOrigins.ToArray(), origins[..8].ToArray());
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Random_chooser_only_makes_legal_moves()
    {
        // Decide() throws on an out-of-range answer; Perform() is only ever given enabled actions. Check also that the
        // chooser is asked with sensible counts, and that every run ends with every buffer drainable.
        Runs.Sample(run =>
        {
            var checking = new CheckingChooser(new RandomChooser(run.Seed));
            var m = RandomRuns.NewMachine(checking);
            Span<byte> data = stackalloc byte[64];
            Span<uint> origins = stackalloc uint[64];
            foreach (var op in run.Ops)
            {
                RandomRuns.Execute(m, op, data, origins);
            }
            m.Quiesce();
            foreach (var cpu in m.Cpus)
            {
                Assert.True(cpu.IsQuiescent);
            }
        }, iter: 200);
    }

    [Fact]
    public void Same_seed_gives_the_same_run()
    {
        Runs.Sample(run =>
        {
            string[] Trace()
            {
                var m = RandomRuns.NewMachine(new RandomChooser(run.Seed));
                var log = new EventLog();
                m.Observer = log;
                Span<byte> data = stackalloc byte[64];
                Span<uint> origins = stackalloc uint[64];
                foreach (var op in run.Ops)
                {
                    RandomRuns.Execute(m, op, data, origins);
                }
                var f = new TraceFormatter(m);
                return log.Events.Select(e => f.Format(e)).ToArray();
            }
            Assert.Equal(Trace(), Trace());
        }, iter: 100);
    }

    [Fact]
    public void Different_seeds_give_different_runs()
    {
        var ops = Enumerable.Range(0, 40).Select(i => new Op(i % 4, 2 + (i % 5), i % 8, 0, (ulong)i)).ToArray();
        var traces = new HashSet<string>();
        Span<byte> data = stackalloc byte[64];
        Span<uint> origins = stackalloc uint[64];
        for (ulong seed = 1; seed <= 8; seed++)
        {
            var m = RandomRuns.NewMachine(new RandomChooser(seed));
            var log = new EventLog();
            m.Observer = log;
            foreach (var op in ops)
            {
                RandomRuns.Execute(m, op, data, origins);
            }
            var f = new TraceFormatter(m);
            traces.Add(string.Join('\n', log.Events.Select(e => f.Format(e))));
        }
        Assert.True(traces.Count > 1);
    }

    private sealed class CheckingChooser(IChooser inner) : IChooser
    {
        public int Calls { get; private set; }

        public int Choose(ChoiceKind kind, int count, int defaultOption)
        {
            Calls++;
            Assert.True(count >= 2, $"asked a {kind} decision with {count} options");
            Assert.InRange(defaultOption, 0, count - 1);
            var c = inner.Choose(kind, count, defaultOption);
            Assert.InRange(c, 0, count - 1);
            return c;
        }
    }

    private sealed class Wrapped(Machine m)
    {
        public void AssertInvariants()
        {
            var seen = new Dictionary<ulong, List<(int K, int S)>>();
            for (var k = 0; k < m.CacheCount; k++)
            {
                var c = m.Cache(k);
                for (var s = 0; s < c.SlotCount; s++)
                {
                    if (c.StateOf(s) == LineState.Invalid)
                    {
                        continue;
                    }
                    if (!seen.TryGetValue(c.AddressOf(s), out var l))
                    {
                        seen[c.AddressOf(s)] = l = [];
                    }
                    l.Add((k, s));
                }
            }
            foreach (var (line, copies) in seen)
            {
                Assert.True(copies.Count(c => m.Cache(c.K).StateOf(c.S).IsDirty()) <= 1, $"two dirty copies of 0x{line:x}");
                if (copies.Any(c => m.Cache(c.K).StateOf(c.S).IsSole()))
                {
                    Assert.Single(copies);
                }
                var d0 = m.Cache(copies[0].K).Payload.Data(copies[0].S).ToArray();
                foreach (var c in copies)
                {
                    Assert.Equal(d0, m.Cache(c.K).Payload.Data(c.S).ToArray());
                }
            }
        }
    }

    /// <summary>The coherence order as the events show it: each store applied when it leaves a store buffer.</summary>
    private sealed class ShadowMemory(Machine m) : IMachineObserver
    {
        private readonly Dictionary<ulong, (byte Value, uint Origin)> bytes = [];

        public void OnEvent(in MachineEvent e)
        {
            if (e.Kind == EventKind.StoreCommit)
            {
                // the committed bytes are now in the L1 of the CPU: read them back from there
                var slot = m.Cpus[e.Cpu].L1.Find(e.Address);
                var line = m.Cpus[e.Cpu].L1.Payload.Data(slot);
                for (var i = 0; i < e.Length; i++)
                {
                    var a = e.Address + (ulong)i;
                    bytes[a] = (line[(int)(a & 63)], e.Origin);
                }
            }
        }

        public void Read(ulong address, Span<byte> data, Span<uint> origins)
        {
            for (var i = 0; i < data.Length; i++)
            {
                if (bytes.TryGetValue(address + (ulong)i, out var b))
                {
                    data[i] = b.Value;
                    origins[i] = b.Origin;
                }
                else
                {
                    data[i] = 0;
                    origins[i] = m.Devices[0].FillOrigin;
                }
            }
        }
    }
}
