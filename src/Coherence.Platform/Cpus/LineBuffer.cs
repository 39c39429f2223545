using System.Runtime.CompilerServices;

namespace Coherence.Platform.Cpus;

/// <summary>64 bytes stored inline (no allocation per buffer entry).</summary>
[InlineArray(64)]
public struct LineBuffer
{
    private byte element0;
}

/// <summary>64 origin ids stored inline.</summary>
[InlineArray(64)]
public struct LineOrigins
{
    private uint element0;
}
