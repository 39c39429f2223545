using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// A CXL port with HDM decoders: a host bridge (switch decoders) or a memdev's endpoint port. Decoders commit in id
/// order (<c>port-&gt;commit_end</c>); <see cref="NumDecodersCommitted"/> is <c>cxl_num_decoders_committed</c>.
/// </summary>
public sealed class CxlPort
{
    private readonly CxlDecoder[] decoders;

    internal CxlPort(CxlSubsystem cxl, string name, CxlPort? parent, int decoderCount, bool endpoint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(decoderCount, 1);
        Cxl = cxl;
        Name = name;
        Parent = parent;
        IsEndpoint = endpoint;
        decoders = new CxlDecoder[decoderCount];
        for (var i = 0; i < decoderCount; i++)
        {
            decoders[i] = new CxlDecoder(this, i);
        }
    }

    internal CxlSubsystem Cxl { get; }

    /// <summary>The port's name.</summary>
    public string Name { get; }

    /// <summary>The upstream port (the host bridge of an endpoint), or null below the root.</summary>
    public CxlPort? Parent { get; }

    /// <summary>True for a memdev's endpoint port.</summary>
    public bool IsEndpoint { get; }

    /// <summary>The memdev of an endpoint port.</summary>
    public CxlMemdev? Memdev { get; internal init; }

    /// <summary>The HDM decoders, by id.</summary>
    public IReadOnlyList<CxlDecoder> Decoders => decoders;

    /// <summary><c>port-&gt;commit_end</c>: the highest committed decoder id, or -1.</summary>
    public int CommitEnd { get; internal set; } = -1;

    /// <summary><c>cxl_num_decoders_committed(port)</c>.</summary>
    public int NumDecodersCommitted => CommitEnd + 1;
}

/// <summary>
/// An HDM decoder (<c>struct cxl_decoder</c>; for an endpoint <c>struct cxl_endpoint_decoder</c> with its DPA
/// allocation). <see cref="IsCommitted"/> is CXL_DECODER_F_ENABLE.
/// </summary>
public sealed class CxlDecoder
{
    internal CxlDecoder(CxlPort port, int id)
    {
        Port = port;
        Id = id;
    }

    /// <summary>The port.</summary>
    public CxlPort Port { get; }

    /// <summary>The decoder id in its port.</summary>
    public int Id { get; }

    /// <summary>The sysfs-style name.</summary>
    public string Name => $"decoder-{Port.Name}.{Id}";

    /// <summary>True once committed (CXL_DECODER_F_ENABLE).</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>The region the decoder serves, or null.</summary>
    public CxlRegion? Region { get; internal set; }

    /// <summary>Endpoint decoders: the DPA partition mode.</summary>
    public CxlDecoderMode Mode { get; private set; }

    /// <summary>Endpoint decoders: DPA offset of the allocation.</summary>
    public ulong DpaOffset { get; private set; }

    /// <summary>Endpoint decoders: DPA size (0: none).</summary>
    public ulong DpaSize { get; private set; }

    /// <summary>Test hook: the next commit fails with this error after programming (as <c>cxld_await_commit</c> would).</summary>
    public Errno? InjectCommitError { get; set; }

    /// <summary>Times this decoder committed.</summary>
    public int Commits { get; private set; }

    /// <summary><c>mode_store</c>: -EBUSY once DPA is allocated or the decoder is committed.</summary>
    public Errno SetMode(CxlDecoderMode mode)
    {
        if (!Port.IsEndpoint)
        {
            return Errno.EINVAL;
        }
        if (IsCommitted || DpaSize != 0)
        {
            return Errno.EBUSY;
        }
        Mode = mode;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>dpa_size_store</c>: a multiple of 256 MiB, after the DPA of lower decoders of the port; -EBUSY while committed
    /// or attached, -EINVAL without a mode or for a misaligned size, -ENOSPC past the device's capacity. 0 frees.
    /// </summary>
    public Errno AllocateDpa(ulong size)
    {
        if (!Port.IsEndpoint || Port.Memdev is null)
        {
            return Errno.EINVAL;
        }
        if (IsCommitted || Region is not null)
        {
            return Errno.EBUSY;
        }
        if (size == 0)
        {
            DpaSize = 0;
            return Errno.Ok;
        }
        if (Mode == CxlDecoderMode.None || size % Port.Cxl.Options.Granule != 0)
        {
            return Errno.EINVAL;
        }
        ulong offset = 0;
        foreach (var d in Port.Decoders)
        {
            if (d != this && d.DpaSize != 0)
            {
                offset = Math.Max(offset, d.DpaOffset + d.DpaSize);
            }
        }
        if (offset + size > Port.Memdev.Firmware.Device.Capacity)
        {
            return Errno.ENOSPC;
        }
        DpaOffset = offset;
        DpaSize = size;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>cxl_decoder_commit</c>: 0 when already committed; -EBUSY out of order (id ≠ decoders committed) or, for an
    /// endpoint, while its memdev sanitizes; an injected error resets the decoder and is returned. A committed
    /// endpoint decoder makes its region's HPA decode to the device: the model re-points the window at
    /// (device, DPA offset) through <see cref="Platform.Machine.Retarget"/>, without telling the caches.
    /// </summary>
    internal Errno Commit()
    {
        if (IsCommitted)
        {
            return Errno.Ok;
        }
        var log = Port.Cxl.Log;
        if (Port.NumDecodersCommitted != Id)
        {
            log.Add(KernelLogLevel.Debug, Port.Name, $"{Name}: out of order commit, expected decoder{Port.NumDecodersCommitted}");
            return Errno.EBUSY;
        }
        if (Port.IsEndpoint && Port.Memdev!.SanitizeActive)
        {
            log.Add(KernelLogLevel.Debug, Port.Memdev.Name, $"attempted to commit {Name} during sanitize");
            return Errno.EBUSY;
        }
        if (Port.IsEndpoint && Region is not null)
        {
            Port.Cxl.Machine.Retarget(Region.Root.Window.Name, Port.Memdev!.Firmware.Device, DpaOffset);
        }
        if (InjectCommitError is { } error)
        {
            InjectCommitError = null;
            log.Add(KernelLogLevel.Debug, Port.Name, $"{Name}: error -{(int)error} committing decoder");
            return error;
        }
        Port.CommitEnd++;
        IsCommitted = true;
        Commits++;
        return Errno.Ok;
    }

    /// <summary><c>cxl_decoder_reset</c>: disables a committed decoder; the port's commit_end moves down past disabled decoders.</summary>
    internal void Reset()
    {
        if (!IsCommitted)
        {
            return;
        }
        IsCommitted = false;
        if (Port.CommitEnd == Id)
        {
            while (Port.CommitEnd >= 0 && !Port.Decoders[Port.CommitEnd].IsCommitted)
            {
                Port.CommitEnd--;
            }
        }
        else
        {
            Port.Cxl.Log.Add(KernelLogLevel.Debug, Port.Name, $"{Name}: out of order reset, expected decoder{Port.CommitEnd}");
        }
    }
}
