namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// A parsed litmus test: the root of the syntax tree.
/// </summary>
/// <param name="Architecture">The architecture on the first line.</param>
/// <param name="Name">The test name (<c>SB+mfences</c>), any run of non-blank characters.</param>
/// <param name="Description">The quoted description (without quotes), or <see langword="null"/>.</param>
/// <param name="Info">The <c>Key=Value</c> lines in file order.</param>
/// <param name="Init">The init block's items in file order (empty for <c>{}</c>).</param>
/// <param name="Threads">The threads, <see cref="ThreadCode.Id"/> equal to the position in the list.</param>
/// <param name="Locations">The <c>locations [...]</c> list, or <see langword="null"/> when absent.</param>
/// <param name="Filter">The <c>filter</c> proposition, or <see langword="null"/> when absent.</param>
/// <param name="Conditions">
/// The final conditions in file order: at most one ordinary condition and any number of crash conditions, at least
/// one in all. <see cref="Expected"/> judges the first.
/// </param>
/// <remarks>
/// Invariants of a parsed test: at least one thread; every register reference names an existing thread and a
/// register of the architecture; every branch target is a label of its thread and no label is defined twice in a
/// thread; mnemonics are known to <see cref="InstructionSet"/>.
/// </remarks>
public sealed record LitmusTest(
    Architecture Architecture,
    string Name,
    string? Description,
    SyntaxList<InfoLine> Info,
    SyntaxList<InitItem> Init,
    SyntaxList<ThreadCode> Threads,
    SyntaxList<StateLocation>? Locations,
    Proposition? Filter,
    SyntaxList<Condition> Conditions) : SyntaxNode
{
    /// <summary>The value of the first info line with the given key, or <see langword="null"/>.</summary>
    /// <param name="key">The key, compared case-sensitively.</param>
    /// <returns>The value, or <see langword="null"/> when no line has the key.</returns>
    public string? GetInfo(string key)
    {
        foreach (var line in Info)
        {
            if (line.Key == key)
            {
                return line.Value;
            }
        }

        return null;
    }

    /// <summary>The verdict stated by <c>Expected=</c> for the first condition, or <see langword="null"/>.</summary>
    public Expectation? Expected => InfoValues.ParseExpectation(GetInfo(InfoLine.ExpectedKey));

    /// <summary>The persistence domain stated by <c>Persistence=</c>; <see cref="PersistenceDomain.Adr"/> by default.</summary>
    public PersistenceDomain Persistence =>
        InfoValues.ParsePersistence(GetInfo(InfoLine.PersistenceKey)) ?? PersistenceDomain.Adr;

    /// <summary>
    /// The groups of memory locations that share a cache line, one group per <c>CacheLine=</c> line, in file order.
    /// Locations not named here each have a line of their own.
    /// </summary>
    public SyntaxList<SyntaxList<string>> CacheLines
    {
        get
        {
            var groups = new List<SyntaxList<string>>();
            foreach (var line in Info)
            {
                if (line.Key == InfoLine.CacheLineKey)
                {
                    groups.Add(InfoValues.SplitCacheLine(line.Value));
                }
            }

            return SyntaxList.From(groups);
        }
    }
}
