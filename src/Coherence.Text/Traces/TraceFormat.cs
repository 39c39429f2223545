namespace Coherence.Text.Traces;

/// <summary>Input trace formats (Dinero IV's <c>-informat</c>).</summary>
public enum TraceFormat : byte
{
    /// <summary>Dinero III's <c>din</c>: hex label and hex address per line; the address is truncated to a 4-byte
    /// word and the size is 4 (<c>-informat d</c>).</summary>
    Din = (byte)'d',

    /// <summary>Dinero IV's extended din: access type, hex address and hex size per line (<c>-informat D</c>).</summary>
    ExtendedDin = (byte)'D',
}
