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
/// (region_devs.c), stores through a shared mmap of the file, and fsync of the DAX file (fs/dax.c). Addresses are
/// physical; the kernel's direct map and the one mapping of the file are both the identity map.
/// </summary>
/// <remarks>
/// Invariant: a page of the file is in <see cref="DirtyPages"/> (its DAX entry tagged PAGECACHE_TAG_DIRTY) exactly
/// when a store through the mapping touched it since the last fsync; every byte stored through the mapping since
/// then lies in a dirty page and is part of what the next fsync promises durable.
/// </remarks>
public sealed class PmemNamespace
{
    /// <summary>Linux errno values used here (positive).</summary>
    public const int EIO = 5, EFAULT = 14, EINVAL = 22, EOPNOTSUPP = 95;
    private const ulong PageSize = 4096;
    private readonly Machine machine;
    private readonly List<DurableRange> unflushed = [];
    private readonly SortedSet<ulong> dirtyPages = [];
    private readonly List<DurableRange> mmapStored = [];

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
    /// Whether <c>pmem_attach_disk</c> calls <c>dax_write_cache(dax_dev, nvdimm_has_cache())</c> (today's driver;
    /// policy <c>dax-flush=write-cache</c>). False models a driver that never sets DAXDEV_WRITE_CACHE
    /// (<c>dax-flush=none</c>): <c>dax_flush</c> then returns without writing anything back.
    /// </summary>
    public bool SetsDaxWriteCache { get; init; } = true;

    /// <summary>DAXDEV_WRITE_CACHE (<c>dax_write_cache_enabled</c>): the dax device has a volatile cache in front of it,
    /// so <c>dax_flush</c> runs <c>arch_wb_cache_pmem</c>. Set from <see cref="HasCache"/> when
    /// <see cref="SetsDaxWriteCache"/>.</summary>
    public bool DaxWriteCache => SetsDaxWriteCache && HasCache;

    /// <summary>Pages of the file (file offset / 4096, ascending) whose DAX entry is tagged PAGECACHE_TAG_DIRTY: stored to
    /// through the mapping since the last fsync.</summary>
    public IReadOnlyCollection<ulong> DirtyPages => dirtyPages;

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
    /// Stores of <paramref name="data"/> by <paramref name="cpu"/> through a shared, writable mmap of the DAX file at
    /// <paramref name="fileOffset"/>: ordinary cached stores, a line at a time (x86 MOV; on an arm64 kernel the AArch64
    /// CPU's STRs), to a mapping of Normal write-back memory. The first store to a clean page takes the write fault
    /// whose <c>dax_insert_entry</c> marks the entry dirty (PAGECACHE_TAG_DIRTY): here every page the stores touch is
    /// tagged. No fence, no write-back and no durability promise: that is fsync's job (or msync's). Returns the bytes
    /// stored, or -EFAULT (nothing tagged) when a store did not complete. Throws <see cref="ArgumentException"/> for
    /// stores beyond the file (SIGBUS).
    /// </summary>
    public PmemResult DaxMmapStore(int cpu, ulong fileOffset, ReadOnlySpan<byte> data)
    {
        var count = (ulong)data.Length;
        if (fileOffset + count > Range.Size || fileOffset + count < fileOffset)
        {
            throw new ArgumentException($"mmap store of {count} bytes at file offset {fileOffset} is beyond {Name} ({Range.Size} bytes): SIGBUS");
        }
        if (count == 0)
        {
            return new PmemResult(0, [], "mmap store of 0 bytes");
        }
        var copier = Copier(cpu);
        copier.Memcpy(Range.Start + fileOffset, data);
        if (copier.Outcome != AccessOutcome.Ok)
        {
            // A store that does not complete kills the process (SIGSEGV, SIGBUS): nothing to tag or promise.
            return new PmemResult(-EFAULT, [], $"mmap store {count} bytes at file offset {fileOffset}: {copier.Outcome}");
        }
        var first = fileOffset / PageSize;
        var last = (fileOffset + count - 1) / PageSize;
        var tagged = 0;
        for (var page = first; page <= last; page++)
        {
            if (dirtyPages.Add(page))
            {
                tagged++;
            }
        }
        mmapStored.Add(new DurableRange(Range.Start + fileOffset, count));
        var pages = last - first + 1;
        return new PmemResult((long)count, [], $"mmap store {count} bytes at file offset {fileOffset}: {copier.Instructions} cached store(s), {pages} page(s), {tagged} newly tagged dirty");
    }

    /// <summary>
    /// <c>dax_writeback_mapping_range</c> over the whole file: every entry tagged dirty is tagged TOWRITE, then
    /// <c>dax_writeback_one</c> per entry: write-protect its mappings (<c>pfn_mkclean_range</c>: not modelled, the next
    /// store re-tags the page), <c>dax_flush(dax_dev, kaddr, PAGE_SIZE)</c> — <c>arch_wb_cache_pmem</c> of the whole
    /// page when <see cref="DaxWriteCache"/>, nothing otherwise — then clear PAGECACHE_TAG_DIRTY. Returns the pages
    /// written back and the cache-maintenance instructions issued (x86: one CLWB per line; arm64: DMB OSH, a DC CVAP
    /// or DC CVAC per line and DSB SY per page).
    /// </summary>
    private (int Pages, int Instructions) WritebackMappingRange(int cpu)
    {
        if (dirtyPages.Count == 0)
        {
            return (0, 0);
        }
        var copier = Copier(cpu);
        // dax_flush is arch_wb_cache_pmem only with CONFIG_ARCH_HAS_PMEM_API (always on x86-64; ARM64_PMEM on arm64).
        var flush = DaxWriteCache && copier is not Arm64FlushcacheCopier { HasFlushcache: false };
        var pages = dirtyPages.Count;
        if (flush)
        {
            foreach (var page in dirtyPages)
            {
                copier.CleanCacheRange(Range.Start + (page * PageSize), PageSize);
            }
        }
        dirtyPages.Clear();
        return (pages, copier.Instructions);
    }

    /// <summary>
    /// <c>fsync()</c> of the DAX file: <c>dax_writeback_mapping_range</c> writes back the pages dirtied through mmap
    /// (<see cref="DaxMmapStore"/>; write() does not dirty the mapping, it relies on the flushcache copy) with
    /// <c>dax_flush</c>, then the file system's flush, <c>blkdev_issue_flush</c>: an empty PREFLUSH bio, i.e.
    /// nvdimm_flush. Promises every byte stored through the mapping since the last fsync, and every byte written since
    /// the last flush, durable.
    /// </summary>
    public PmemResult Fsync(int cpu)
    {
        var (pages, instructions) = WritebackMappingRange(cpu);
        var stored = mmapStored.Count;
        var r = SubmitBio(cpu, 0, [], preflush: true, fua: false);
        List<DurableRange> durable = [.. mmapStored, .. r.Durable];
        mmapStored.Clear();
        var writeback = pages == 0 ? "no dirty pages"
            : !DaxWriteCache ? $"{pages} dirty page(s), dax_flush skipped ({(SetsDaxWriteCache ? "nvdimm_has_cache() is false" : "DAXDEV_WRITE_CACHE never set")})"
            : instructions == 0 ? $"{pages} dirty page(s), dax_flush empty (no ARCH_HAS_PMEM_API)"
            : $"{pages} dirty page(s), dax_flush → arch_wb_cache_pmem: {instructions} instructions ({CleanDescription(cpu)})";
        return r with
        {
            Durable = durable,
            Note = $"fsync: dax_writeback_mapping_range: {writeback}; PREFLUSH → nvdimm_flush (pmem_wmb {(PmemWmb ? "on" : "off")}, {FlushHints} flush hint(s)); {stored} mmap-stored and {r.Durable.Count} written range(s) promised durable",
        };
    }

    private IFlushcacheCopier Copier(int cpu) => FlushcacheCopiers.For(machine, cpu, Variant);

    /// <summary>What <c>arch_wb_cache_pmem</c> issues per page on <paramref name="cpu"/>.</summary>
    private string CleanDescription(int cpu) => Copier(cpu) is Arm64FlushcacheCopier a
        ? $"DMB OSH, {PageSize / 64} × {a.CleanInstruction.Mnemonic()}, DSB SY per page"
        : $"{PageSize / 64} × CLWB per page";
}
