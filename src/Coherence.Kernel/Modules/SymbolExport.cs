namespace Coherence.Kernel.Modules;

/// <summary>A symbol a module exports.</summary>
/// <param name="Name">The symbol.</param>
/// <param name="Namespace">Its namespace, or "".</param>
/// <param name="GplOnly">EXPORT_SYMBOL_GPL / _NS_GPL.</param>
/// <param name="Crc">Its modversions CRC, or null.</param>
public sealed record SymbolExport(string Name, string Namespace = "", bool GplOnly = true, uint? Crc = null);
