namespace Coherence.Kernel.Modules;

/// <summary>
/// An exported symbol (a ksymtab entry): <c>EXPORT_SYMBOL</c>, <c>EXPORT_SYMBOL_GPL</c>,
/// <c>EXPORT_SYMBOL_NS(_GPL)(sym, "NS")</c>.
/// </summary>
/// <param name="Name">The symbol name.</param>
/// <param name="Namespace">The namespace, or "" for none.</param>
/// <param name="GplOnly">True for the _GPL variants: refused to modules that taint the kernel as proprietary.</param>
/// <param name="Owner">The exporting module's name, or null for vmlinux (module_name(NULL) is "kernel").</param>
/// <param name="Crc">The CONFIG_MODVERSIONS CRC, or null.</param>
public sealed record KernelSymbol(string Name, string Namespace, bool GplOnly, string? Owner = null, uint? Crc = null)
{
    /// <summary>The owner as the kernel prints it.</summary>
    public string OwnerName => Owner ?? "kernel";
}
