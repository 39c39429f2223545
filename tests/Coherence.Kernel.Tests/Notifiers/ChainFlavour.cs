using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;

namespace Coherence.Kernel.Tests.Notifiers;

/// <summary>One face over the three chain flavours, so one test body runs on each.</summary>
public sealed class ChainFlavour
{
    private ChainFlavour(string name, Func<KernelModel, NotifierChain> create) => (Name, Create) = (name, create);

    public string Name { get; }

    public Func<KernelModel, NotifierChain> Create { get; }

    public static ChainFlavour Blocking { get; } = new("blocking", k => new BlockingNotifierChain(k, "test_chain"));

    public static ChainFlavour Atomic { get; } = new("atomic", k => new AtomicNotifierChain(k, "test_chain"));

    public static ChainFlavour Raw { get; } = new("raw", k => new RawNotifierChain(k, "test_chain"));

    public static TheoryData<string> All => new() { "blocking", "atomic", "raw" };

    public static ChainFlavour Named(string name) => name switch
    {
        "blocking" => Blocking,
        "atomic" => Atomic,
        _ => Raw,
    };

    public static Errno Register(NotifierChain c, NotifierBlock nb) => c switch
    {
        BlockingNotifierChain b => b.Register(nb),
        AtomicNotifierChain a => a.Register(nb),
        RawNotifierChain r => r.Register(nb),
        _ => throw new ArgumentException("chain"),
    };

    public static Errno Unregister(NotifierChain c, NotifierBlock nb) => c switch
    {
        BlockingNotifierChain b => b.Unregister(nb),
        AtomicNotifierChain a => a.Unregister(nb),
        RawNotifierChain r => r.Unregister(nb),
        _ => throw new ArgumentException("chain"),
    };

    public static int Call(NotifierChain c, ulong action, int nrToCall, out int nrCalls) => c switch
    {
        BlockingNotifierChain b => b.Call(action, null, nrToCall, out nrCalls),
        AtomicNotifierChain a => a.Call(action, null, nrToCall, out nrCalls),
        RawNotifierChain r => r.Call(action, null, nrToCall, out nrCalls),
        _ => throw new ArgumentException("chain"),
    };

    public static int Call(NotifierChain c, ulong action = 0) => Call(c, action, -1, out _);
}
