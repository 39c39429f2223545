namespace Coherence.Platform.Events;

/// <summary>An observer that keeps every event in a list.</summary>
public sealed class EventLog : IMachineObserver
{
    private readonly List<MachineEvent> events = [];

    /// <summary>The events so far.</summary>
    public IReadOnlyList<MachineEvent> Events => events;

    /// <inheritdoc/>
    public void OnEvent(in MachineEvent e) => events.Add(e);

    /// <summary>Forgets the events so far.</summary>
    public void Clear() => events.Clear();
}
