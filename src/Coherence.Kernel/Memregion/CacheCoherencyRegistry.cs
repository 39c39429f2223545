using Coherence.Kernel.Boot;
using Coherence.Platform;

namespace Coherence.Kernel.Memregion;

/// <summary>
/// The generic cache-maintenance registry of lib/cache_maint.c: a list of provider instances guarded by an rwsem.
/// <c>register</c> adds at the head (<c>list_add</c>), so invalidation calls the newest provider first. These
/// symbols are exported in namespace "CACHE_COHERENCY".
/// </summary>
public sealed class CacheCoherencyRegistry
{
    private const string File = "lib/cache_maint.c";
    private readonly KernelModel kernel;
    private readonly List<CacheCoherencyOpsInstance> list = [];
    private int readers;

    internal CacheCoherencyRegistry(KernelModel kernel) => this.kernel = kernel;

    /// <summary>The registered instances, head (newest) first.</summary>
    public IReadOnlyList<CacheCoherencyOpsInstance> Instances => list;

    /// <summary>
    /// <c>_cache_coherency_ops_instance_alloc(ops, size)</c>: null when <paramref name="ops"/> or its wbinv is null;
    /// otherwise the instance <paramref name="create"/> builds, with the ops set and one reference, not registered.
    /// </summary>
    public T? Alloc<T>(CacheCoherencyOps? ops, Func<T> create) where T : CacheCoherencyOpsInstance
    {
        ArgumentNullException.ThrowIfNull(create);
        if (ops?.Wbinv is null)
        {
            return null;
        }
        var inst = create();
        inst.Ops = ops;
        inst.RefCount = 1;
        return inst;
    }

    /// <summary><c>_cache_coherency_ops_instance_alloc</c> for a plain instance named <paramref name="name"/>.</summary>
    public CacheCoherencyOpsInstance? Alloc(CacheCoherencyOps? ops, string name) => Alloc(ops, () => new CacheCoherencyOpsInstance(name));

    /// <summary>
    /// <c>cache_coherency_ops_instance_register</c>: takes the rwsem for write and adds at the head; returns 0.
    /// Adding an instance already on the list is caught by CONFIG_DEBUG_LIST ("list_add double add") and skipped.
    /// Called from a provider callback during invalidation (the read lock is held): the kernel deadlocks.
    /// </summary>
    public Errno Register(CacheCoherencyOpsInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        TakeWriteLock("cache_coherency_ops_instance_register");
        CheckAlive(instance, "cache_coherency_ops_instance_register");
        if (instance.IsRegistered)
        {
            kernel.ReportBug(KernelWarningKind.ListCorruption, "__list_add_valid_or_report", "lib/list_debug.c",
                $"list_add double add: new={instance.Name}, prev=cache_ops_instance_list, next={list[0].Name}.");
            return Errno.Ok;
        }
        list.Insert(0, instance);
        instance.IsRegistered = true;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>cache_coherency_ops_instance_unregister</c>: takes the rwsem for write and deletes the node. Deleting a
    /// node that is not on the list is caught by CONFIG_DEBUG_LIST and skipped.
    /// </summary>
    public void Unregister(CacheCoherencyOpsInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        TakeWriteLock("cache_coherency_ops_instance_unregister");
        if (!instance.IsRegistered)
        {
            kernel.ReportBug(KernelWarningKind.ListCorruption, "__list_del_entry_valid_or_report", "lib/list_debug.c",
                $"list_del corruption, {instance.Name}->next is LIST_POISON1 (dead000000000100)");
            return;
        }
        list.Remove(instance);
        instance.IsRegistered = false;
    }

    /// <summary><c>kref_get</c> on the instance.</summary>
    public void Get(CacheCoherencyOpsInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        CheckAlive(instance, "kref_get");
        instance.RefCount++;
    }

    /// <summary>
    /// <c>cache_coherency_ops_instance_put</c> (kref_put): returns true when this put freed the instance. Freeing
    /// an instance that is still registered leaves a dangling list node; the next invalidation reports a
    /// use-after-free.
    /// </summary>
    public bool Put(CacheCoherencyOpsInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!CheckAlive(instance, "cache_coherency_ops_instance_put"))
        {
            return false;
        }
        instance.RefCount--;
        return instance.RefCount == 0;
    }

    /// <summary><c>cpu_cache_has_invalidate_memregion</c>: <c>!list_empty</c> (may race with unregister; VMs never
    /// register an instance).</summary>
    public bool HasInvalidateMemregion() => list.Count > 0;

    /// <summary>
    /// <c>cpu_cache_invalidate_memregion(start, len)</c> holding the read lock: wbinv on each instance, newest first,
    /// returning the first nonzero result at once (an instance with null ops gives -EINVAL); then done on each
    /// instance that has one, returning the first error; then 0. An empty list does nothing and returns 0.
    /// </summary>
    public Errno InvalidateMemregion(ulong start, ulong length)
    {
        var p = new CacheInvalidateParams(start, length);
        var cpu = kernel.CurrentCpu;
        readers++;
        try
        {
            var snapshot = list.ToArray();
            foreach (var inst in snapshot)
            {
                if (!CheckAlive(inst, "cpu_cache_invalidate_memregion"))
                {
                    continue;
                }
                if (inst.Ops is null)
                {
                    return Errno.EINVAL;
                }
                var r = inst.Ops.Wbinv!(inst, p);
                kernel.AddEvent(KernelEventKind.ProviderWbinv, cpu, -1, $"{inst.Name} wbinv(0x{start:x}, 0x{length:x}) = {r.ToKernelString()}", AccessOutcome.Ok);
                if (r != Errno.Ok)
                {
                    return r;
                }
            }
            foreach (var inst in snapshot)
            {
                if (inst.IsFreed || inst.Ops?.Done is not { } done)
                {
                    continue;
                }
                var r = done(inst);
                kernel.AddEvent(KernelEventKind.ProviderDone, cpu, -1, $"{inst.Name} done() = {r.ToKernelString()}", AccessOutcome.Ok);
                if (r != Errno.Ok)
                {
                    return r;
                }
            }
            return Errno.Ok;
        }
        finally
        {
            readers--;
        }
    }

    private void TakeWriteLock(string function)
    {
        if (kernel.InAtomic)
        {
            kernel.ReportBug(KernelWarningKind.SleepInAtomic, function, "kernel/locking/rwsem.c", "down_write");
        }
        if (readers > 0)
        {
            kernel.ReportBug(KernelWarningKind.Deadlock, function, File, "down_write(&cache_ops_instance_list_lock) while holding it for read");
            throw new KernelHangException($"{function} called with cache_ops_instance_list_lock held for read: the kernel deadlocks");
        }
    }

    private bool CheckAlive(CacheCoherencyOpsInstance instance, string function)
    {
        if (!instance.IsFreed)
        {
            return true;
        }
        kernel.ReportBug(KernelWarningKind.UseAfterFree, function, File, $"{instance.Name} used after its last reference was put");
        return false;
    }
}
