namespace Coherence.Platform.Caches;

/// <summary>
/// Chooses which way of a set to replace. Implemented by structs so that <see cref="SetAssociativeCache{TPayload, TPolicy}"/>
/// is specialised by the JIT per policy, with no interface call per access.
/// </summary>
public interface IReplacementPolicy
{
    /// <summary>Allocates the policy's state for <paramref name="sets"/> sets of <paramref name="ways"/> ways.</summary>
    void Initialise(int sets, int ways);

    /// <summary>Called when the line in <paramref name="slot"/> is hit.</summary>
    void OnHit(int slot);

    /// <summary>Called when a line is installed in <paramref name="slot"/>.</summary>
    void OnFill(int slot);

    /// <summary>Returns the way (0-based) of <paramref name="set"/> the policy would evict; every way of the set is valid.</summary>
    int Victim(int set);
}
