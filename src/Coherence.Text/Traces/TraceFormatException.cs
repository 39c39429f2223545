namespace Coherence.Text.Traces;

/// <summary>A malformed trace record. The message is Dinero's: "din format error on trace record N: …".</summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception for record <paramref name="recordNumber"/> (1-based).</summary>
    public TraceFormatException(long recordNumber, string message)
        : base(message) => RecordNumber = recordNumber;

    /// <summary>Creates an exception with a message only.</summary>
    public TraceFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public TraceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with no message.</summary>
    public TraceFormatException()
    {
    }

    /// <summary>The 1-based number of the bad record.</summary>
    public long RecordNumber { get; }
}
