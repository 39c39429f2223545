namespace Coherence.Platform.Provenance;

/// <summary>
/// Every origin the machine has produced, by id, and the tenant labels. Id 0 is reserved and never handed out,
/// so a zero in an origin array means "not written by the model" (a bug if ever seen).
/// </summary>
public sealed class OriginTable
{
    private readonly List<Origin> origins = [default];
    private readonly List<string> tenants = [""];
    private readonly Dictionary<string, int> tenantIds = new(StringComparer.Ordinal) { [""] = 0 };

    /// <summary>Number of ids handed out, plus the reserved id 0.</summary>
    public int Count => origins.Count;

    /// <summary>Adds an origin and returns its id.</summary>
    public uint Add(in Origin origin)
    {
        origins.Add(origin);
        return (uint)(origins.Count - 1);
    }

    /// <summary>The origin with id <paramref name="id"/>.</summary>
    public Origin this[uint id] => origins[(int)id];

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
