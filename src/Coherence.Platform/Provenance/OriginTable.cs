namespace Coherence.Platform.Provenance;

/// <summary>
/// Every origin the machine has produced, by id, and the tenant labels. Id 0 is reserved and never handed out,
/// so a zero in an origin array means "not written by the model" (a bug if ever seen).
/// </summary>
public sealed class OriginTable
{
    private const int ChunkShift = 16;
    private const int FirstCapacity = 256;

    // Chunks of 65 536 origins; the first starts small and doubles up to that size, so that a machine that makes few
    // stores (every execution of an exhaustive exploration builds a new machine) does not pay for 1.5 MiB of zeroed
    // memory.
    private readonly List<Packed[]> chunks = [new Packed[FirstCapacity]];
    private int count = 1;
    private readonly List<string> tenants = [""];
    private readonly Dictionary<string, int> tenantIds = new(StringComparer.Ordinal) { [""] = 0 };

    /// <summary>Number of ids handed out, plus the reserved id 0.</summary>
    public int Count => count;

    /// <summary>Adds an origin and returns its id.</summary>
    public uint Add(in Origin origin)
    {
        var id = count++;
        if ((id >> ChunkShift) == chunks.Count)
        {
            chunks.Add(new Packed[1 << ChunkShift]);
        }
        else if (id < 1 << ChunkShift && id == chunks[0].Length)
        {
            var grown = chunks[0];
            Array.Resize(ref grown, id * 2);
            chunks[0] = grown;
        }
        ref var p = ref chunks[id >> ChunkShift][id & ((1 << ChunkShift) - 1)];
        p.Step = origin.Step;
        p.Epoch = origin.Epoch;
        p.Tenant = origin.Tenant;
        p.Cpu = checked((short)origin.Cpu);
        p.Device = checked((short)origin.Device);
        p.Kind = origin.Kind;
        return (uint)id;
    }

    /// <summary>The origin with id <paramref name="id"/>.</summary>
    public Origin this[uint id]
    {
        get
        {
            if (id >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(id), $"origin id {id} was never handed out");
            }
            ref var p = ref chunks[(int)(id >> ChunkShift)][id & ((1 << ChunkShift) - 1)];
            return new Origin(p.Kind, p.Step, p.Cpu, p.Tenant, p.Device, p.Epoch);
        }
    }

    /// <summary>Approximate bytes held by the table (24 bytes per origin, in chunks of 65 536 after the first).</summary>
    public long ApproximateBytes => chunks.Sum(c => (long)c.Length) * 24;

    /// <summary>An origin packed into 24 bytes.</summary>
    private struct Packed
    {
        public long Step;
        public uint Epoch;
        public int Tenant;
        public short Cpu;
        public short Device;
        public OriginKind Kind;
    }

    /// <summary>Returns the id of tenant label <paramref name="name"/>, creating it if new; the empty name is id 0.</summary>
    public int Tenant(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return 0;
        }
        if (!tenantIds.TryGetValue(name, out var id))
        {
            id = tenants.Count;
            tenants.Add(name);
            tenantIds[name] = id;
        }
        return id;
    }

    /// <summary>The label of tenant <paramref name="id"/> (empty for 0).</summary>
    public string TenantName(int id) => tenants[id];
}
