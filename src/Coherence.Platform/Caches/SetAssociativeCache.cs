using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coherence.Platform.Caches;

/// <summary>
/// One set-associative cache: tags, MESI states and a replacement policy, plus a per-slot payload. Used by the
/// platform model (payload <see cref="LineBytes"/>) and by the trace-driven simulator (payload <see cref="NoPayload"/>):
/// one implementation, specialised by the JIT for each struct type argument.
/// </summary>
/// <remarks>
/// The cache knows nothing of coherence between caches; <see cref="Memory.MemorySystem"/> keeps the machine-wide
/// invariants (at most one Modified copy; all valid copies of a line hold equal bytes). Addresses are byte addresses;
/// a slot is <c>set * Ways + way</c>. An invalid slot holds no tag (a value no address maps to), so the search for a
/// free way is the same tag search as a lookup; both compare every way of the set at once where the host has vectors
/// (<see cref="WaySearch"/>).
/// </remarks>
public sealed class SetAssociativeCache<TPayload, TPolicy>
    where TPayload : struct, ILinePayload
    where TPolicy : struct, IReplacementPolicy
{
    private const ulong NoTag = ulong.MaxValue;
    private readonly ulong[] tags;
    private readonly LineState[] states;
    private readonly int setMask;
    private readonly int lineShift;
    private readonly WaySearchKind search;
    private int validCount;
    private TPolicy policy;

    /// <summary>The per-slot payload (bytes and origins in the model).</summary>
    public TPayload Payload;

    /// <summary>Creates an empty cache.</summary>
    public SetAssociativeCache(string name, CacheGeometry geometry, TPolicy policy = default)
        : this(name, geometry, policy, default, initialisePayload: true)
    {
    }

    /// <summary>Creates an empty cache whose payload <paramref name="payload"/> the caller has already initialised for
    /// <see cref="CacheGeometry.Slots"/> slots (for example to share storage between the caches of one machine).</summary>
    public SetAssociativeCache(string name, CacheGeometry geometry, TPolicy policy, TPayload payload)
        : this(name, geometry, policy, payload, initialisePayload: false)
    {
    }

    private SetAssociativeCache(string name, CacheGeometry geometry, TPolicy policy, TPayload payload, bool initialisePayload)
    {
        Name = name;
        Geometry = geometry;
        Ways = geometry.Ways;
        tags = GC.AllocateUninitializedArray<ulong>(geometry.Slots); // filled next: no zeroing pass first
        Array.Fill(tags, NoTag);
        states = new LineState[geometry.Slots];
        setMask = geometry.Sets - 1;
        lineShift = BitOperations.Log2((uint)geometry.LineSize);
        search = WaySearch.Choose(geometry.Ways);
        this.policy = policy;
        this.policy.Initialise(geometry.Sets, geometry.Ways);
        Payload = payload;
        if (initialisePayload)
        {
            Payload.Initialise(geometry.Slots, geometry.LineSize);
        }
    }

    /// <summary>The cache's name in traces (for example <c>cpu2.L1</c>).</summary>
    public string Name { get; }

    /// <summary>The cache's geometry.</summary>
    public CacheGeometry Geometry { get; }

    /// <summary>Ways per set.</summary>
    public int Ways { get; }

    /// <summary>Number of slots.</summary>
    public int SlotCount => tags.Length;

    /// <summary>Number of valid lines (kept up to date by <see cref="Install"/>, <see cref="Invalidate"/> and
    /// <see cref="Clear"/>, so that a search of the other caches can skip an empty one).</summary>
    public int ValidCount => validCount;

    /// <summary>The set that holds <paramref name="address"/>.</summary>
    public int SetOf(ulong address) => (int)(address >> lineShift) & setMask;

    /// <summary>Returns the slot holding the line of <paramref name="address"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong address)
    {
        var tag = address >> lineShift;
        var first = ((int)tag & setMask) * Ways;
        var way = WaySearch.IndexOf(search, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tags), first), Ways, tag);
        return way < 0 ? -1 : first + way;
    }

    /// <summary>The replacement policy's state, read-only (for example to rank the lines of a set).</summary>
    public ref readonly TPolicy Policy => ref policy;

    /// <summary>Records a hit on <paramref name="slot"/> for the replacement policy.</summary>
    public void Touch(int slot) => policy.OnHit(slot);

    /// <summary>
    /// Returns the slot a new line of <paramref name="address"/> goes to: the first invalid way of its set, else the
    /// replacement policy's victim (<paramref name="mustEvict"/> is then true and the slot still holds the victim).
    /// </summary>
    public int VictimFor(ulong address, out bool mustEvict)
    {
        var set = SetOf(address);
        var first = set * Ways;
        var free = WaySearch.IndexOf(search, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tags), first), Ways, NoTag);
        mustEvict = free < 0;
        return first + (free >= 0 ? free : policy.Victim(set));
    }

    /// <summary>
    /// Installs the line of <paramref name="address"/> (not present) with <paramref name="state"/> where
    /// <see cref="VictimFor"/> would put it, in one pass over its set: returns the slot, and the address and state of
    /// the line it replaced (<see cref="LineState.Invalid"/> when the way was free). For callers that evict without a
    /// choice (the trace-driven simulator); the model asks its chooser between <see cref="VictimFor"/> and
    /// <see cref="Install"/>.
    /// </summary>
    public int Replace(ulong address, LineState state, out ulong replacedAddress, out LineState replacedState)
    {
        var tag = address >> lineShift;
        var set = (int)tag & setMask;
        var first = set * Ways;
        var free = WaySearch.IndexOf(search, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tags), first), Ways, NoTag);
        var slot = first + (free >= 0 ? free : policy.Victim(set));
        ref var t = ref tags[slot];
        ref var s = ref states[slot];
        replacedAddress = t << lineShift;
        replacedState = s;
        validCount += s == LineState.Invalid ? 1 : 0;
        t = tag;
        s = state;
        policy.OnFill(slot);
        return slot;
    }

    /// <summary>The first slot of the set of <paramref name="address"/> (ways follow consecutively).</summary>
    public int FirstSlotOfSet(ulong address) => SetOf(address) * Ways;

    /// <summary>Installs the line of <paramref name="address"/> in <paramref name="slot"/> with <paramref name="state"/>.</summary>
    public void Install(int slot, ulong address, LineState state)
    {
        tags[slot] = address >> lineShift;
        SetState(slot, state);
        policy.OnFill(slot);
    }

    /// <summary>Empties <paramref name="slot"/>.</summary>
    public void Invalidate(int slot) => SetState(slot, LineState.Invalid);

    /// <summary>Empties every slot.</summary>
    public void Clear()
    {
        Array.Fill(tags, NoTag);
        Array.Clear(states);
        validCount = 0;
    }

    /// <summary>The state of <paramref name="slot"/>.</summary>
    public LineState StateOf(int slot) => states[slot];

    /// <summary>The first valid slot at or after <paramref name="slot"/>, or -1: a vector scan of the states, so that
    /// walking the lines of a large, mostly empty cache (<c>for (var s = NextValid(0); s &gt;= 0; s = NextValid(s + 1))</c>)
    /// costs little per empty slot.</summary>
    public int NextValid(int slot)
    {
        if ((uint)slot >= (uint)states.Length)
        {
            return -1;
        }
        var i = MemoryMarshal.Cast<LineState, byte>(states.AsSpan(slot)).IndexOfAnyExcept((byte)LineState.Invalid);
        return i < 0 ? -1 : slot + i;
    }

    /// <summary>Sets the state of a valid <paramref name="slot"/> (<see cref="LineState.Invalid"/> empties it).</summary>
    public void SetState(int slot, LineState state)
    {
        if (state == LineState.Invalid)
        {
            tags[slot] = NoTag;
        }
        ref var s = ref states[slot];
        validCount += (state != LineState.Invalid ? 1 : 0) - (s != LineState.Invalid ? 1 : 0);
        s = state;
    }

    /// <summary>The byte address of the line in <paramref name="slot"/> (meaningless when invalid).</summary>
    public ulong AddressOf(int slot) => tags[slot] << lineShift;
}
