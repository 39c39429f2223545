using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// A CXL region (<c>struct cxl_region</c>, <c>drivers/cxl/core/region.c</c>) and its configuration state machine:
/// IDLE → (interleave set, <see cref="SetSize"/> allocates HPA) INTERLEAVE_ACTIVE → (<see cref="AttachTarget"/> of
/// every position) ACTIVE → (<see cref="Commit"/>: <c>__commit</c>, <c>cxl_region_decode_commit</c>) COMMIT →
/// (<see cref="Decommit"/>: <c>queue_reset</c>, RESET_PENDING, <c>cxl_region_decode_reset</c>) ACTIVE.
/// Cache invalidation follows <see cref="CxlRegionOptions.Policy"/>.
/// </summary>
/// <remarks>
/// Simplifications: interleave is not modelled (one target, x1; other valid interleave ways throw
/// <see cref="NotSupportedException"/>); a pmem region needs no UUID; a root decoder hands its whole window to one
/// region; a reset decoder leaves the window pointing at its last device (the platform has no "unmapped" HPA).
/// </remarks>
public sealed class CxlRegion
{
    private readonly CxlSubsystem cxl;
    private CxlDecoder?[] targets = [];
    private CxlDecoder?[] switchDecoders = [];

    internal CxlRegion(CxlSubsystem cxl, CxlRootDecoder root, string name, CxlDecoderMode mode)
    {
        this.cxl = cxl;
        Root = root;
        Name = name;
        Mode = mode;
    }

    /// <summary>The root decoder.</summary>
    public CxlRootDecoder Root { get; }

    /// <summary>The device name.</summary>
    public string Name { get; }

    /// <summary>Pmem or ram.</summary>
    public CxlDecoderMode Mode { get; }

    /// <summary><c>p-&gt;state</c>.</summary>
    public CxlRegionState State { get; private set; }

    /// <summary><c>p-&gt;interleave_ways</c> (0 until set).</summary>
    public int InterleaveWays { get; private set; }

    /// <summary><c>p-&gt;interleave_granularity</c> (0 until set).</summary>
    public int InterleaveGranularity { get; private set; }

    /// <summary><c>p-&gt;res</c> start, valid when <see cref="HpaSize"/> is not 0.</summary>
    public ulong HpaStart { get; private set; }

    /// <summary><c>resource_size(p-&gt;res)</c>, 0 when no HPA is allocated.</summary>
    public ulong HpaSize { get; private set; }

    /// <summary><c>p-&gt;nr_targets</c>.</summary>
    public int TargetCount { get; private set; }

    /// <summary>The endpoint decoders by position.</summary>
    public IReadOnlyList<CxlDecoder?> Targets => targets;

    /// <summary>CXL_REGION_F_INCOHERENT (v6.2 only): set when the last target attaches, cleared by the probe-time flush.</summary>
    public bool Incoherent { get; private set; }

    /// <summary>CXL_REGION_F_NEEDS_RESET: a decoder reset is partial.</summary>
    public bool NeedsReset { get; private set; }

    /// <summary>True while the region driver is bound (<c>cxl_region_probe</c> succeeded).</summary>
    public bool IsBound { get; private set; }

    private Errno Dbg(Errno rc, string text)
    {
        cxl.Log.Add(KernelLogLevel.Debug, Name, text);
        return rc;
    }

    /// <summary><c>interleave_ways_store</c>: -EINVAL for a value with no encoding (1, 2, 3, 4, 6, 8, 12, 16 are valid), -EBUSY once INTERLEAVE_ACTIVE.</summary>
    public Errno SetInterleaveWays(int ways)
    {
        if (ways is not (1 or 2 or 3 or 4 or 6 or 8 or 12 or 16))
        {
            return Errno.EINVAL;
        }
        if (State >= CxlRegionState.InterleaveActive)
        {
            return Errno.EBUSY;
        }
        if (ways != 1)
        {
            throw new NotSupportedException($"interleave ways {ways}: the model supports x1 regions only");
        }
        InterleaveWays = ways;
        targets = new CxlDecoder?[ways];
        switchDecoders = new CxlDecoder?[ways];
        return Errno.Ok;
    }

    /// <summary><c>interleave_granularity_store</c>: a power of two from 256 to 16384, else -EINVAL; -EBUSY once INTERLEAVE_ACTIVE.</summary>
    public Errno SetInterleaveGranularity(int granularity)
    {
        if (granularity < 256 || granularity > 16384 || (granularity & (granularity - 1)) != 0)
        {
            return Errno.EINVAL;
        }
        if (State >= CxlRegionState.InterleaveActive)
        {
            return Errno.EBUSY;
        }
        InterleaveGranularity = granularity;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>size_store</c>: a nonzero size is <c>alloc_hpa</c> (0 if the same size is held, -EBUSY if another is held or
    /// the state is past IDLE, -ENXIO while ways or granularity are unset, -EINVAL unless a multiple of 256 MiB × ways,
    /// -ENOSPC when the window is taken or too small; then INTERLEAVE_ACTIVE); 0 is <c>free_hpa</c> (-EBUSY from ACTIVE on; then IDLE).
    /// </summary>
    public Errno SetSize(ulong size)
    {
        if (size == 0)
        {
            if (HpaSize == 0)
            {
                return Errno.Ok;
            }
            if (State >= CxlRegionState.Active)
            {
                return Errno.EBUSY;
            }
            HpaSize = 0;
            Root.HpaOwner = null;
            State = CxlRegionState.Idle;
            return Errno.Ok;
        }
        if (HpaSize != 0)
        {
            return HpaSize == size ? Errno.Ok : Errno.EBUSY;
        }
        if (State >= CxlRegionState.InterleaveActive)
        {
            return Errno.EBUSY;
        }
        if (InterleaveWays == 0 || InterleaveGranularity == 0)
        {
            return Dbg(Errno.ENXIO, "configuration incomplete");
        }
        if (size % (cxl.Options.Granule * (ulong)InterleaveWays) != 0)
        {
            return Errno.EINVAL;
        }
        if (Root.HpaOwner is not null || size > Root.Window.Size)
        {
            return Errno.ENOSPC;
        }
        Root.HpaOwner = this;
        HpaStart = Root.Window.Start;
        HpaSize = size;
        State = CxlRegionState.InterleaveActive;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>attach_target</c> / <c>cxl_region_attach</c>: -EINVAL on a mode mismatch, -EBUSY past INTERLEAVE_ACTIVE,
    /// -ENXIO before it, -ENXIO for a bad position or an endpoint not below one of the root's host bridges, 0 when the
    /// decoder already sits there, -EBUSY when the position or the decoder is taken (or the host bridge has no free
    /// decoder), -EINVAL unless DPA size × ways equals the region size. The last target moves the region to ACTIVE and,
    /// under v6.2, sets CXL_REGION_F_INCOHERENT.
    /// </summary>
    public Errno AttachTarget(int position, CxlDecoder endpointDecoder)
    {
        if (!endpointDecoder.Port.IsEndpoint)
        {
            return Errno.EINVAL;
        }
        if (endpointDecoder.Mode != Mode)
        {
            return Dbg(Errno.EINVAL, $"{endpointDecoder.Name} region mode: {Mode} mismatch: {endpointDecoder.Mode}");
        }
        if (State > CxlRegionState.InterleaveActive)
        {
            return Dbg(Errno.EBUSY, "region already active");
        }
        if (State < CxlRegionState.InterleaveActive)
        {
            return Dbg(Errno.ENXIO, "interleave config missing");
        }
        if (position < 0 || position >= InterleaveWays)
        {
            return Errno.ENXIO;
        }
        if (targets[position] == endpointDecoder)
        {
            return Errno.Ok;
        }
        if (targets[position] is not null || endpointDecoder.Region is not null)
        {
            return Errno.EBUSY;
        }
        var hostBridge = endpointDecoder.Port.Parent;
        if (hostBridge is null || !Contains(Root.HostBridges, hostBridge))
        {
            return Dbg(Errno.ENXIO, $"{endpointDecoder.Name} invalid target for {Name}");
        }
        if (endpointDecoder.DpaSize * (ulong)InterleaveWays != HpaSize)
        {
            return Dbg(Errno.EINVAL, $"{endpointDecoder.Name} size {endpointDecoder.DpaSize:#x} * ways {InterleaveWays} != region size {HpaSize:#x}");
        }
        CxlDecoder? free = null;
        foreach (var d in hostBridge.Decoders)
        {
            if (d.Region is null && !d.IsCommitted)
            {
                free = d;
                break;
            }
        }
        if (free is null)
        {
            return Dbg(Errno.EBUSY, $"{hostBridge.Name}: no free decoder");
        }
        free.Region = this;
        endpointDecoder.Region = this;
        targets[position] = endpointDecoder;
        switchDecoders[position] = free;
        TargetCount++;
        if (TargetCount == InterleaveWays)
        {
            State = CxlRegionState.Active;
            if (cxl.Options.Policy == CxlRegionPolicy.V6_2)
            {
                Incoherent = true;
            }
        }
        return Errno.Ok;
    }

    private static bool Contains(IReadOnlyList<CxlPort> ports, CxlPort port)
    {
        foreach (var p in ports)
        {
            if (p == port)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <c>detach_target</c> / <c>cxl_region_detach</c>: unbinds the driver; past ACTIVE the decoders are reset first
    /// (an invalidation failure before 6.13 aborts the detach with the error); then the position is freed and the
    /// region goes back to INTERLEAVE_ACTIVE.
    /// </summary>
    public Errno DetachTarget(int position)
    {
        if (position < 0 || position >= InterleaveWays)
        {
            return Errno.ENXIO;
        }
        if (targets[position] is not { } target)
        {
            return Errno.Ok;
        }
        IsBound = false;
        if (State > CxlRegionState.Active)
        {
            var rc = DecodeReset(InterleaveWays);
            if (rc != Errno.Ok)
            {
                return rc;
            }
            State = CxlRegionState.Active;
        }
        target.Region = null;
        switchDecoders[position]!.Region = null;
        targets[position] = null;
        switchDecoders[position] = null;
        TargetCount--;
        if (State == CxlRegionState.Active)
        {
            State = CxlRegionState.InterleaveActive;
        }
        return Errno.Ok;
    }

    /// <summary>
    /// <c>cxl_region_invalidate_memregion</c> as of the policy. v6.5+: without <c>has()</c>, bypass with
    /// <c>dev_info_once</c> under CONFIG_CXL_REGION_INVALIDATION_TEST, else "Failed to synchronize CPU cache state"
    /// (<c>dev_WARN</c> since 6.13, <c>dev_err</c> before) and -ENXIO; -ENXIO without an HPA; else invalidate the HPA
    /// range (result ignored). v6.2: only when CXL_REGION_F_INCOHERENT is set, all regions (IORES_DESC_CXL), clearing the
    /// flag. None: nothing.
    /// </summary>
    private Errno InvalidateMemregion()
    {
        var options = cxl.Options;
        switch (options.Policy)
        {
            case CxlRegionPolicy.V6_5:
                if (!cxl.Invalidator.HasInvalidate)
                {
                    if (options.RegionInvalidationTest)
                    {
                        cxl.Log.AddOnce(Name + "/bypass", KernelLogLevel.Info, Name, "Bypassing cpu_cache_invalidate_memregion() for testing!");
                        return Errno.Ok;
                    }
                    var warn = options.ResetIgnoresInvalidationFailure;
                    cxl.Log.Add(warn ? KernelLogLevel.Warning : KernelLogLevel.Err, Name, "Failed to synchronize CPU cache state", warnSplat: warn);
                    return Errno.ENXIO;
                }
                if (HpaSize == 0)
                {
                    return Errno.ENXIO;
                }
                _ = cxl.Invalidator.Invalidate(HpaStart, HpaSize);
                return Errno.Ok;
            case CxlRegionPolicy.V6_2:
                if (!Incoherent)
                {
                    return Errno.Ok;
                }
                if (!cxl.Invalidator.HasInvalidate)
                {
                    if (options.RegionInvalidationTest)
                    {
                        cxl.Log.AddOnce(Name + "/bypass", KernelLogLevel.Warning, Name, "Bypassing cpu_cache_invalidate_memregion() for testing!");
                        Incoherent = false;
                        return Errno.Ok;
                    }
                    cxl.Log.Add(KernelLogLevel.Err, Name, "Failed to synchronize CPU cache state");
                    return Errno.ENXIO;
                }
                _ = cxl.Invalidator.InvalidateAll();
                Incoherent = false;
                return Errno.Ok;
            default:
                return Errno.Ok;
        }
    }

    /// <summary>sysfs <c>commit</c>: <c>kstrtobool</c>, then <see cref="Commit"/> or <see cref="Decommit"/>.</summary>
    public Errno CommitStore(string buffer)
    {
        var rc = CxlMemdev.KstrToBool(buffer, out var commit);
        if (rc != Errno.Ok)
        {
            return rc;
        }
        return commit ? Commit() : Decommit();
    }

    /// <summary>
    /// <c>__commit</c>: 0 when already committed, -ENXIO before ACTIVE; v6.5+ invalidates first (an error aborts);
    /// then <c>cxl_region_decode_commit</c> programs each target's decoders bottom-up (endpoint, then host bridge);
    /// on a failure it resets that chain and the targets already done (<c>cxl_region_decode_reset</c>, which
    /// invalidates again under v6.5+) and returns the error; else COMMIT.
    /// </summary>
    public Errno Commit()
    {
        if (State >= CxlRegionState.Commit)
        {
            return Errno.Ok;
        }
        if (State < CxlRegionState.Active)
        {
            return Errno.ENXIO;
        }
        if (cxl.Options.Policy == CxlRegionPolicy.V6_5)
        {
            var rc = InvalidateMemregion();
            if (rc != Errno.Ok)
            {
                return rc;
            }
        }
        for (var i = 0; i < TargetCount; i++)
        {
            var chain = new[] { targets[i]!, switchDecoders[i]! };
            foreach (var decoder in chain)
            {
                var rc = decoder.Commit();
                if (rc != Errno.Ok)
                {
                    for (var j = chain.Length - 1; j >= 0; j--)
                    {
                        chain[j].Reset();
                    }
                    _ = DecodeReset(i);
                    return rc;
                }
            }
        }
        State = CxlRegionState.Commit;
        return Errno.Ok;
    }

    /// <summary>
    /// Decommit (<c>commit_store("0")</c>): 0 below COMMIT; <c>queue_reset</c> (RESET_PENDING),
    /// <c>device_release_driver</c>, then <c>cxl_region_decode_reset</c> and ACTIVE. Before 6.13 an invalidation
    /// failure aborts the reset and the region reverts to COMMIT with the error.
    /// </summary>
    public Errno Decommit()
    {
        if (State < CxlRegionState.Commit)
        {
            return Errno.Ok;
        }
        State = CxlRegionState.ResetPending;
        IsBound = false;
        var rc = DecodeReset(InterleaveWays);
        if (rc != Errno.Ok)
        {
            State = CxlRegionState.Commit;
            return rc;
        }
        State = CxlRegionState.Active;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>cxl_region_decode_reset(cxlr, count)</c>: v6.5+ invalidates first (since 6.13 the result is ignored; before,
    /// a failure aborts); then resets the host-bridge and endpoint decoders of targets count-1 down to 0 with
    /// CXL_REGION_F_NEEDS_RESET set while partial.
    /// </summary>
    private Errno DecodeReset(int count)
    {
        if (cxl.Options.Policy == CxlRegionPolicy.V6_5)
        {
            var rc = InvalidateMemregion();
            if (rc != Errno.Ok && !cxl.Options.ResetIgnoresInvalidationFailure)
            {
                return rc;
            }
        }
        for (var i = count - 1; i >= 0; i--)
        {
            switchDecoders[i]?.Reset();
            NeedsReset = true;
            targets[i]?.Reset();
        }
        NeedsReset = false;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>cxl_region_probe</c>: -ENXIO below COMMIT; -ENXIO with "failed to activate, re-commit region and retry" when
    /// a reset was partial; v6.2 flushes an INCOHERENT region here (-ENXIO when it cannot); then the driver binds.
    /// </summary>
    public Errno Probe()
    {
        if (State < CxlRegionState.Commit)
        {
            return Dbg(Errno.ENXIO, $"config state: {(int)State}");
        }
        if (NeedsReset)
        {
            cxl.Log.Add(KernelLogLevel.Err, Name, "failed to activate, re-commit region and retry");
            return Errno.ENXIO;
        }
        if (cxl.Options.Policy == CxlRegionPolicy.V6_2)
        {
            var rc = InvalidateMemregion();
            if (rc != Errno.Ok)
            {
                return rc;
            }
        }
        IsBound = true;
        return Errno.Ok;
    }
}
