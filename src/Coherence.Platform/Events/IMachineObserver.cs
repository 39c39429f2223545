namespace Coherence.Platform.Events;

/// <summary>Receives every event of a machine, in order.</summary>
public interface IMachineObserver
{
    /// <summary>Called once per event.</summary>
    void OnEvent(in MachineEvent e);
}
