namespace Coherence.Native.Bench;

/// <summary>Small statistics for benchmark samples.</summary>
public static class Statistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("the median of no values is undefined", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
