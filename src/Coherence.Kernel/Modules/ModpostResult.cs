namespace Coherence.Kernel.Modules;

/// <summary>One modpost diagnostic line.</summary>
/// <param name="IsError">ERROR (the build fails) or WARNING.</param>
/// <param name="Text">The line as modpost prints it, with its "ERROR: modpost: " or "WARNING: modpost: " prefix.</param>
public readonly record struct ModpostDiagnostic(bool IsError, string Text);

/// <summary>The result of the build-time check of one module (scripts/mod/modpost.c <c>check_exports</c>).</summary>
/// <param name="Diagnostics">Lines in the order modpost prints them.</param>
/// <param name="MissingNamespaces">Namespaces used but not imported (what <c>make nsdeps</c> adds).</param>
public sealed record ModpostResult(IReadOnlyList<ModpostDiagnostic> Diagnostics, IReadOnlyList<string> MissingNamespaces)
{
    /// <summary>True when an ERROR was printed: the build fails.</summary>
    public bool Failed
    {
        get
        {
            foreach (var d in Diagnostics)
            {
                if (d.IsError)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
