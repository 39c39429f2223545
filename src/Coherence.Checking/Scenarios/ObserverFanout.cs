using Coherence.Platform.Events;

namespace Coherence.Checking.Scenarios;

/// <summary>Passes every event to several observers, in order.</summary>
public sealed class ObserverFanout(params IMachineObserver[] observers) : IMachineObserver
{
    /// <inheritdoc/>
    public void OnEvent(in MachineEvent e)
    {
        foreach (var o in observers)
        {
            o.OnEvent(e);
        }
    }
}
