namespace Coherence.Kernel.Boot;

/// <summary>An atomic section of a <see cref="KernelModel"/>; disposing it leaves the section.</summary>
public readonly struct AtomicSection : IDisposable, IEquatable<AtomicSection>
{
    private readonly KernelModel? kernel;

    internal AtomicSection(KernelModel kernel) => this.kernel = kernel;

    /// <summary>Leaves the section.</summary>
    public void Dispose() => kernel?.LeaveAtomic();

    /// <inheritdoc/>
    public bool Equals(AtomicSection other) => ReferenceEquals(kernel, other.kernel);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AtomicSection s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() => kernel?.GetHashCode() ?? 0;

    /// <summary>Equality.</summary>
    public static bool operator ==(AtomicSection left, AtomicSection right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(AtomicSection left, AtomicSection right) => !left.Equals(right);
}
