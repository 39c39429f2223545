namespace Coherence.Kernel.Boot;

/// <summary>The kernel's <c>system_state</c> (the values the model distinguishes).</summary>
public enum SystemState
{
    /// <summary>SYSTEM_BOOTING: early boot, one CPU; blocking notifier chains register without taking their rwsem.</summary>
    Booting,

    /// <summary>SYSTEM_RUNNING.</summary>
    Running,
}
