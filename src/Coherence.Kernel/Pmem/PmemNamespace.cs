using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Pmem;

/// <summary>A range of bytes the kernel promises durable at some point (a durability point for the checker).</summary>
/// <param name="Address">Physical start.</param>
/// <param name="Length">Length in bytes.</param>
public readonly record struct DurableRange(ulong Address, ulong Length);

/// <summary>What a pmem operation returned and which ranges it promises durable.</summary>
/// <param name="Result">The return value: bytes written for a write, 0 or a negative errno otherwise.</param>
/// <param name="Durable">Ranges whose durability the operation's success promises.</param>
/// <param name="Note">A line for the trace.</param>
public sealed record PmemResult(long Result, IReadOnlyList<DurableRange> Durable, string Note);

/// <summary>
/// A pmem namespace (drivers/nvdimm/pmem.c) over one persistent-memory range, with a DAX file laid over it from
/// its first byte: the write path through the flushcache copy, PREFLUSH/FUA through <c>nvdimm_flush</c>
/// (region_devs.c), and fsync of the DAX file. Addresses are physical; the kernel's direct map is the identity map.
/// </summary>
public sealed class PmemNamespace
{
    /// <summary>Linux errno values used here (positive).</summary>
    public const int EIO = 5, EFAULT = 14, EINVAL = 22, EOPNOTSUPP = 95;
    private const ulong PageSize = 4096;
    private readonly Machine machine;
    private readonly List<DurableRange> unflushed = [];

    /// <summary>Attaches a namespace named <paramref name="name"/> over <paramref name="range"/>.</summary>
    public PmemNamespace(Machine machine, string name, Resource range, int flushHints, FlushcacheVariant variant, bool pmemWmb)
    {
        if (range.Kind != ResourceKind.PersistentMemory)
        {
            throw new ArgumentException($"pmem namespace {name}: range {range.Name} is {range.Kind}, not persistent memory");
        }
        if (range.Device.Kind != DeviceKind.Nvdimm)
        {
            throw new ArgumentException($"pmem namespace {name}: range {range.Name} is backed by {range.Device.Name} ({range.Device.Kind}), not an NVDIMM");
        }
        if (flushHints < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(flushHints), $"pmem namespace {name}: {flushHints} flush hints");
        }
        this.machine = machine;
        Name = name;
        Range = range;
        FlushHints = flushHints;
        Variant = variant;
        PmemWmb = pmemWmb;
        Arm64 = variant.IsArm64() || (!variant.IsX86() && machine.Config.InstructionSet == InstructionSet.Arm64);
        if (variant is not (FlushcacheVariant.X86 or FlushcacheVariant.Arm64Cvap or FlushcacheVariant.Arm64Cvac))
        {
            Log.Add($"{name}: unable to guarantee persistence of writes");
        }
    }

    /// <summary>True when the kernel runs on the platform's AArch64 CPUs (the arm64 variants, or a fallback variant
    /// on an arm64 platform): barriers are DSB/DMB, cache maintenance DC by VA.</summary>
    public bool Arm64 { get; }

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>The persistent-memory range it covers.</summary>
    public Resource Range { get; }

    /// <summary>Flush-hint addresses of its DIMM (num_flush).</summary>
    public int FlushHints { get; }

    /// <summary>The copy in force.</summary>
    public FlushcacheVariant Variant { get; }

    /// <summary>Whether <c>nvdimm_flush</c> fences before the flush-hint writes (<c>pmem_wmb</c>).</summary>
    public bool PmemWmb { get; }

    /// <summary>Kernel log lines (warnings at attach, copy warnings).</summary>
    public List<string> Log { get; } = [];

    /// <summary><c>nvdimm_has_flush</c>: 1 with flush hints, else 0 (ADR assumed).</summary>
    public int HasFlush => FlushHints > 0 ? 1 : 0;

    /// <summary><c>nvdimm_has_cache</c>: true unless the platform's persistence domain includes the CPU caches (eADR).</summary>
    public bool HasCache => machine.Config.Persistence != PersistenceDomain.Eadr;

    /// <summary>
    /// <c>generic_nvdimm_flush</c>: <c>pmem_wmb()</c> (SFENCE, unless pmem-wmb=off), a flush-hint write per DIMM with
    /// hints (an uncached store, ordered after the CPU's older stores, that drains the write-pending queue), then
    /// <c>wmb()</c>. Returns 0. On arm64 both barriers are <c>wmb()</c> = DSB ST.
    /// </summary>
    public int NvdimmFlush(int cpu)
    {
        if (Arm64)
        {
            var a = machine.Arm64[cpu];
            if (PmemWmb)
            {
                a.Dsb(Arm64BarrierKind.Stores);
            }
            if (FlushHints > 0)
            {
                // writeq(1, hint): arm64 accesses take effect in order in the model; the write drains the queue.
                machine.DrainWritePendingQueue(Range.Device);
            }
            a.Dsb(Arm64BarrierKind.Stores);
            return 0;
        }
        var x = machine.X86[cpu];
        if (PmemWmb)
        {
            x.Sfence();
        }
        if (FlushHints > 0)
        {
            // writeq(1, hint): UC stores leave the store buffer in order, so an SFENCE buffered before it has applied.
            x.Retire();
            machine.DrainWritePendingQueue(Range.Device);
        }
        x.Sfence();
        return 0;
    }

    /// <summary>
    /// Whether <c>__pmem_clear_poison</c> calls <c>arch_invalidate_pmem</c> after the DIMM cleared poison (today's
    /// kernel does; without it a poisoned line cached earlier stays cached and causes a machine check later).
    /// </summary>
    public bool InvalidateAfterClearingPoison { get; init; } = true;

    /// <summary>
    /// <c>pmem_do_write</c>: if the range holds poison (the badblocks list, here read from the media), clear it
    /// (<c>nvdimm_clear_poison</c>) and, unless disabled, <c>arch_invalidate_pmem</c> (x86: clflush_cache_range, mb,
    /// CLFLUSHOPT per line, mb; arm64: dcache_inval_poc); then <c>write_pmem</c>: the data in page-bounded chunks
    /// through memcpy_flushcache.
    /// </summary>
    private void DoWrite(IFlushcacheCopier copier, int cpu, ulong offset, ReadOnlySpan<byte> data)
    {
        var start = Range.Start + offset;
        if (machine.ClearPoison(start, (ulong)data.Length) > 0)
        {
            Log.Add($"{Name}: cleared poison in [0x{start:x}, +{data.Length}){(InvalidateAfterClearingPoison ? ", then arch_invalidate_pmem" : " without invalidating CPU caches")}");
            if (InvalidateAfterClearingPoison && copier is Arm64FlushcacheCopier arm64)
            {
                arm64.InvalidateRange(start, (ulong)data.Length);
            }
            else if (InvalidateAfterClearingPoison)
            {
                var x = machine.X86[cpu];
                x.Mfence();
                for (var line = start & ~63UL; line < start + (ulong)data.Length; line += 64)
                {
                    x.ClflushOpt(line);
                }
                x.Mfence();
            }
        }
        var done = 0;
        while (done < data.Length)
        {
            var at = offset + (ulong)done;
            var chunk = (int)Math.Min((ulong)(data.Length - done), PageSize - (at % PageSize));
            copier.MemcpyFlushcache(Range.Start + at, data.Slice(done, chunk));
            done += chunk;
        }
    }

    /// <summary>
    /// <c>pmem_submit_bio</c> for a write of <paramref name="data"/> at <paramref name="sector"/> (512-byte sectors):
    /// PREFLUSH runs nvdimm_flush first (data is written even if it fails), the segment is written, FUA runs
    /// nvdimm_flush after it (its result overwrites the preflush's). An empty <paramref name="data"/> is a pure flush.
    /// </summary>
    public PmemResult SubmitBio(int cpu, ulong sector, byte[] data, bool preflush, bool fua)
    {
        var offset = sector * 512;
        if (offset + (ulong)data.Length > Range.Size || offset + (ulong)data.Length < offset)
        {
            return new PmemResult(-EIO, [], $"bio at sector {sector} + {data.Length} bytes beyond {Name} ({Range.Size} bytes)");
        }
        var durable = new List<DurableRange>();
        var ret = 0;
        if (preflush)
        {
            ret = NvdimmFlush(cpu);
            durable.AddRange(unflushed);
            unflushed.Clear();
        }
        var copier = Copier(cpu);
        if (data.Length > 0)
        {
            DoWrite(copier, cpu, offset, data);
            unflushed.Add(new DurableRange(Range.Start + offset, (ulong)data.Length));
        }
        if (fua)
        {
            // Without flush hints the queue has no FUA; the block layer then issues a post-flush: the same nvdimm_flush.
            ret = NvdimmFlush(cpu);
            durable.AddRange(unflushed);
            unflushed.Clear();
        }
        var what = $"bio write {data.Length} bytes at sector {sector}{(preflush ? " PREFLUSH" : "")}{(fua ? " FUA" : "")}: {copier.Instructions} copy instructions";
        return new PmemResult(ret == 0 ? 0 : -EIO, durable, what);
    }

    /// <summary>
    /// <c>write()</c> to the DAX file at <paramref name="fileOffset"/> (the file covers the namespace from its first
    /// byte): <c>dax_iomap_rw</c> → <c>dax_copy_from_iter</c> → the flushcache copy from <paramref name="iter"/>. No
    /// fence and no durability promise. Returns the bytes written, or -EFAULT when a fault let nothing be copied.
    /// </summary>
    public PmemResult DaxWrite(int cpu, ulong fileOffset, IovIter iter)
    {
        var count = (ulong)iter.Count;
        if (fileOffset + count > Range.Size || fileOffset + count < fileOffset)
        {
            return new PmemResult(-EINVAL, [], $"dax write of {count} bytes at {fileOffset} beyond {Name} ({Range.Size} bytes)");
        }
        var copier = Copier(cpu);
        var copied = copier.CopyFromIter(Range.Start + fileOffset, iter);
        Log.AddRange(copier.Warnings);
        if (copied > 0)
        {
            unflushed.Add(new DurableRange(Range.Start + fileOffset, copied));
        }
        var result = copied == 0 && count > 0 ? -EFAULT : (long)copied;
        return new PmemResult(result, [], $"dax write {copied} of {count} bytes at file offset {fileOffset} ({iter.Kind}, flushcache={Variant}): {copier.Instructions} copy instructions");
    }

    /// <summary>
    /// <c>fsync()</c> of the DAX file: <c>dax_writeback_mapping_range</c> writes back pages dirtied through mmap (none:
    /// write() does not dirty the mapping, it relies on the flushcache copy), then the file system's flush,
    /// <c>blkdev_issue_flush</c>: an empty PREFLUSH bio, i.e. nvdimm_flush. Promises every byte written since the last
    /// flush durable.
    /// </summary>
    public PmemResult Fsync(int cpu)
    {
        var r = SubmitBio(cpu, 0, [], preflush: true, fua: false);
        return r with { Note = $"fsync: PREFLUSH → nvdimm_flush (pmem_wmb {(PmemWmb ? "on" : "off")}, {FlushHints} flush hint(s)); {r.Durable.Count} written range(s) promised durable" };
    }

    private IFlushcacheCopier Copier(int cpu) => FlushcacheCopiers.For(machine, cpu, Variant);
}
