using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// An immutable list used inside syntax-tree nodes. Unlike arrays and <see cref="ImmutableArray{T}"/>, two lists are
/// equal when they hold equal elements in the same order, which keeps record equality structural.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[CollectionBuilder(typeof(SyntaxList), nameof(SyntaxList.Create))]
public readonly struct SyntaxList<T> : IReadOnlyList<T>, IEquatable<SyntaxList<T>>
{
    private readonly ImmutableArray<T> items;

    /// <summary>Wraps an immutable array.</summary>
    /// <param name="items">The elements, in order.</param>
    public SyntaxList(ImmutableArray<T> items) => this.items = items.IsDefault ? [] : items;

    /// <summary>The empty list.</summary>
    public static SyntaxList<T> Empty => new([]);

    /// <summary>The number of elements.</summary>
    public int Count => items.IsDefault ? 0 : items.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">The 0-based index.</param>
    /// <returns>The element.</returns>
    public T this[int index] => items[index];

    /// <summary>Compares two lists element by element.</summary>
    /// <param name="left">The first list.</param>
    /// <param name="right">The second list.</param>
    /// <returns><see langword="true"/> when the lists are equal.</returns>
    public static bool operator ==(SyntaxList<T> left, SyntaxList<T> right) => left.Equals(right);

    /// <summary>Compares two lists element by element.</summary>
    /// <param name="left">The first list.</param>
    /// <param name="right">The second list.</param>
    /// <returns><see langword="true"/> when the lists differ.</returns>
    public static bool operator !=(SyntaxList<T> left, SyntaxList<T> right) => !left.Equals(right);

    /// <summary>Returns an enumerator over the elements.</summary>
    /// <returns>The enumerator.</returns>
    public ImmutableArray<T>.Enumerator GetEnumerator() => (items.IsDefault ? [] : items).GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(items.IsDefault ? [] : items)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <summary>Compares element by element with the default equality of <typeparamref name="T"/>.</summary>
    /// <param name="other">The list to compare with.</param>
    /// <returns><see langword="true"/> when both lists hold equal elements in the same order.</returns>
    public bool Equals(SyntaxList<T> other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < Count; i++)
        {
            if (!comparer.Equals(items[i], other.items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SyntaxList<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in this)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>Lists the elements, for debugging.</summary>
    /// <returns>The elements between brackets.</returns>
    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

/// <summary>Builds <see cref="SyntaxList{T}"/> values, including from collection expressions.</summary>
public static class SyntaxList
{
    /// <summary>Copies a span into a new list.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements, in order.</param>
    /// <returns>The list.</returns>
    public static SyntaxList<T> Create<T>(ReadOnlySpan<T> items) => new([.. items]);

    /// <summary>Copies a sequence into a new list.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements, in order.</param>
    /// <returns>The list.</returns>
    public static SyntaxList<T> From<T>(IEnumerable<T> items) => new([.. items]);
}
