namespace Coherence.Platform;

/// <summary>Size and associativity of one cache level.</summary>
/// <param name="SizeBytes">Capacity in bytes.</param>
/// <param name="Ways">Ways per set.</param>
public readonly record struct CacheConfig(long SizeBytes, int Ways);
