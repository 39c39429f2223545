using Coherence.Platform.State;

namespace Coherence.Platform.Tests.Hashing;

public class StateHasherTests
{
    private static (ulong, ulong) HashIds(params uint[] ids)
    {
        var h = new StateHasher();
        h.AddIds(ids);
        return h.Value;
    }

    [Fact]
    public void Ids_hash_by_value_whatever_array_holds_them()
    {
        var uniform = Enumerable.Repeat(7u, 64).ToArray();
        Assert.Equal(HashIds(uniform), HashIds([.. uniform]));
        var mixed = Enumerable.Range(0, 64).Select(i => (uint)(i / 8)).ToArray();
        Assert.Equal(HashIds(mixed), HashIds([.. mixed]));
    }

    [Fact]
    public void Ids_that_differ_anywhere_hash_differently()
    {
        var uniform = Enumerable.Repeat(7u, 64).ToArray();
        var seen = new HashSet<(ulong, ulong)> { HashIds(uniform), HashIds(Enumerable.Repeat(8u, 64).ToArray()) };
        for (var i = 0; i < 64; i++)
        {
            var one = (uint[])uniform.Clone();
            one[i] = 9;
            Assert.True(seen.Add(HashIds(one)), $"changing id {i} gave a hash seen before");
        }
        Assert.True(seen.Add(HashIds(Enumerable.Repeat(7u, 63).ToArray()))); // one id fewer
    }

    [Fact]
    public void The_one_value_form_is_not_a_length()
    {
        // All-equal ids add 2^32 | id; otherwise the byte form starts with the byte length. Neither may stand for the
        // other, so a uniform line never hashes like an empty or mixed one.
        Assert.NotEqual(HashIds(), HashIds(0u));
        var h = new StateHasher();
        h.Add(256UL);
        Assert.NotEqual(h.Value, HashIds(Enumerable.Repeat(0u, 64).ToArray()));
    }
}
