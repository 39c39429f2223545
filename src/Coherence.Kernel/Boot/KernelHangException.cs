namespace Coherence.Kernel.Boot;

/// <summary>
/// Thrown where the real kernel would hang for ever (a task taking for write an rwsem it holds for read, a
/// synchronize_rcu inside an RCU read-side section). The report is in <see cref="KernelModel.Warnings"/> first;
/// whoever drives the model catches this and reports a hang. Locks the model holds are released on the way out.
/// </summary>
public sealed class KernelHangException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KernelHangException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KernelHangException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public KernelHangException(string message, Exception inner) : base(message, inner)
    {
    }
}
