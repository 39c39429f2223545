namespace Coherence.Platform.Provenance;

/// <summary>
/// Every origin the machine has produced, by id, and the tenant labels. Id 0 is reserved and never handed out,
/// so a zero in an origin array means "not written by the model" (a bug if ever seen).
/// </summary>
public sealed class OriginTable
{
    private const int ChunkShift = 16;
    private const int FirstCapacity = 256;

    // Chunks of 65 536 origins (1 MiB); the first starts small and doubles up to that size, so that a machine that
    // makes few stores (every execution of an exhaustive exploration builds a new machine) does not pay for a whole
    // zeroed chunk.
    private readonly List<Packed[]> chunks = [new Packed[FirstCapacity]];
    private int count = 1;
    private readonly List<string> tenants = [""];
    private readonly Dictionary<string, int> tenantIds = new(StringComparer.Ordinal) { [""] = 0 };

    /// <summary>Number of ids handed out, plus the reserved id 0.</summary>
    public int Count => count;

    /// <summary>Adds an origin and returns its id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is beyond what an origin is packed into (16 bytes): a step
    /// outside -1..2^48-2, a CPU outside -1..4094, a tenant outside 0..65535 or a device outside -1..65534.</exception>
    public uint Add(in Origin origin)
    {
        var packed = Pack(origin);
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
        chunks[id >> ChunkShift][id & ((1 << ChunkShift) - 1)] = packed;
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
            return new Origin(
                (OriginKind)(p.A & 0xF),
                (long)(p.A >> 16) - 1,
                (int)((p.A >> 4) & 0xFFF) - 1,
                (int)((p.B >> 16) & 0xFFFF),
                (int)(p.B & 0xFFFF) - 1,
                (uint)(p.B >> 32));
        }
    }

    /// <summary>Approximate bytes held by the table (16 bytes per origin, in chunks of 65 536 after the first).</summary>
    public long ApproximateBytes => chunks.Sum(c => (long)c.Length) * 16;

    /// <summary>An origin packed into 16 bytes (a store makes one, so this is what provenance costs per store):
    /// A = step + 1 (48 bits) | CPU + 1 (12 bits) | kind (4 bits); B = epoch (32 bits) | tenant (16) | device + 1 (16).</summary>
    private struct Packed
    {
        public ulong A;
        public ulong B;
    }

    private static Packed Pack(in Origin o)
    {
        if ((ulong)(o.Step + 1) >= 1UL << 48 || (uint)(o.Cpu + 1) > 4095 || (uint)o.Tenant > 65535
            || (uint)(o.Device + 1) > 65535 || (byte)o.Kind > 15)
        {
            Refuse(o);
        }
        return new Packed
        {
            A = ((ulong)(o.Step + 1) << 16) | ((ulong)(uint)(o.Cpu + 1) << 4) | (byte)o.Kind,
            B = ((ulong)o.Epoch << 32) | ((ulong)(uint)o.Tenant << 16) | (uint)(o.Device + 1),
        };
    }

    private static void Refuse(in Origin o)
    {
        Check((long)o.Kind, 0, 15, "kind");
        Check(o.Step, -1, (1L << 48) - 2, "step");
        Check(o.Cpu, -1, 4094, "CPU");
        Check(o.Tenant, 0, 65535, "tenant");
        Check(o.Device, -1, 65534, "device");
    }

    private static void Check(long value, long min, long max, string what)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(what, value, $"an origin's {what} must be between {min} and {max}, not {value}");
        }
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
