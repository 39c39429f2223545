namespace Coherence.Platform.Caches;

/// <summary>
/// What a cache keeps per slot besides its tag and state. The platform model keeps the bytes and each byte's origin
/// (<see cref="LineBytes"/>); the trace-driven simulator keeps nothing (<see cref="NoPayload"/>). A struct type
/// parameter, so both instantiations share one cache implementation without indirection.
/// </summary>
public interface ILinePayload
{
    /// <summary>Allocates storage for <paramref name="slots"/> slots of <paramref name="lineSize"/> bytes.</summary>
    void Initialise(int slots, int lineSize);
}
