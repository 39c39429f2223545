using System.Runtime.CompilerServices;
using Coherence.Platform.Cpus;

namespace Coherence.Platform.Caches;

/// <summary>
/// One stored line, as cache slots and device lines keep it: the 64 bytes, then room for 8 origin ids (the line's one
/// id, or its 8 word ids; see <see cref="Provenance.OriginGrain"/>). 96 bytes, so a line moves as one struct copy
/// and reading it touches two adjacent host cache lines.
/// </summary>
internal struct LineRecord
{
    /// <summary>The line's bytes.</summary>
    public LineBuffer Data;

    /// <summary>The line's origin ids in grain <see cref="Provenance.OriginGrain.Line"/> (entry 0) or
    /// <see cref="Provenance.OriginGrain.Word"/> (entries 0-7).</summary>
    public WordIds Words;
}

/// <summary>8 origin ids stored inline.</summary>
[InlineArray(8)]
internal struct WordIds
{
    private uint element0;
}
