using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Modules;

/// <summary>What <c>finit_module</c> returned.</summary>
/// <param name="Result">0 or the errno.</param>
/// <param name="Module">The loaded module, or null on failure.</param>
/// <param name="UnresolvedSymbols">Each symbol that failed to resolve with its error, in symbol-table order.</param>
public sealed record ModuleLoadResult(Errno Result, LoadedModule? Module, IReadOnlyList<(string Symbol, Errno Error)> UnresolvedSymbols);
