using Coherence.Checking.Scenarios;
using Coherence.Kernel.Pmem;

namespace Coherence.Text.Scenarios;

/// <summary>Flushcache, pmem and DAX operations of the scenario language: see docs/scenarios.md.</summary>
public sealed partial class ScenarioParser
{
    private static readonly string[] FlushcacheCpuOps = ["memcpy-flushcache", "copy-from-iter", "dax-write", "dax-mmap-write", "fsync", "bio-write", "bio-flush"];
    private readonly List<string> pmemNamespaces = [];
    private readonly Dictionary<string, ulong> pmemNamespaceSizes = new(StringComparer.Ordinal);

    /// <summary>Parses a flushcache/pmem statement starting with <paramref name="word"/>; false when the word is not one.</summary>
    /// <remarks>For a CPU word (<c>cpu0</c>) it looks at the next word and consumes nothing unless that is a flushcache operation.</remarks>
    private bool TryParseFlushcacheStatement(string word, string? label, ScenarioToken head)
    {
        if (word == "pmem-namespace")
        {
            ParsePmemNamespace(label, head);
            return true;
        }
        if (!word.StartsWith("cpu", StringComparison.Ordinal) || Peek.Kind != ScenarioTokenKind.Word
            || Array.IndexOf(FlushcacheCpuOps, Peek.Text.ToLowerInvariant()) < 0)
        {
            return false;
        }
        var cpu = ParseCpu(head);
        var op = Next().Text.ToLowerInvariant();
        var where = Span(head);
        switch (op)
        {
            case "memcpy-flushcache":
                {
                    var address = ParseAddress();
                    var data = ParseData();
                    var constant = false;
                    if (Peek.Kind == ScenarioTokenKind.Word && Peek.Text == "constant")
                    {
                        var c = Next();
                        if (data.Length is not (4 or 8 or 16))
                        {
                            throw Fail(c, $"'constant' applies to 4, 8 or 16 bytes (the inline MOVNTI paths), not {data.Length}");
                        }
                        constant = true;
                    }
                    spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.MemcpyFlushcache, null, address, data, Constant: constant));
                    return true;
                }
            case "copy-from-iter":
                {
                    var address = ParseAddress();
                    var data = ParseData();
                    var (iter, fault) = ParseIterOptions("copy-from-iter", data.Length);
                    spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.CopyFromIter, null, address, data, iter, fault));
                    return true;
                }
            case "dax-write":
                {
                    var ns = ParseNamespaceRef(head);
                    var offset = ParseNumber(Next());
                    var data = ParseData();
                    var (iter, fault) = ParseIterOptions("dax-write", data.Length);
                    spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.DaxWrite, ns, offset, data, iter, fault));
                    return true;
                }
            case "dax-mmap-write":
                {
                    var ns = ParseNamespaceRef(head);
                    var offsetToken = Next();
                    var offset = ParseNumber(offsetToken);
                    var data = ParseData();
                    var size = pmemNamespaceSizes[ns];
                    if (offset + (ulong)data.Length > size || offset + (ulong)data.Length < offset)
                    {
                        throw Fail(offsetToken, ScenarioMessages.MmapBeyondNamespace(offset, data.Length, ns, size));
                    }
                    spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.DaxMmapWrite, ns, offset, data));
                    return true;
                }
            case "fsync":
                spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.Fsync, ParseNamespaceRef(head), 0, []));
                return true;
            case "bio-flush":
                spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.BioFlush, ParseNamespaceRef(head), 0, [], Preflush: true));
                return true;
            default:
                {
                    var ns = ParseNamespaceRef(head);
                    var sector = ParseNumber(Next());
                    var data = ParseData();
                    bool preflush = false, fua = false;
                    while (Peek.Kind == ScenarioTokenKind.Word)
                    {
                        var flag = Next();
                        switch (flag.Text)
                        {
                            case "preflush":
                                preflush = true;
                                break;
                            case "fua":
                                fua = true;
                                break;
                            default:
                                throw Fail(flag, ScenarioMessages.Expected("preflush, fua or the end of the line", Describe(flag)));
                        }
                    }
                    spec.Steps.Add(new FlushcacheStep(label, where, cpu, FlushcacheOp.BioWrite, ns, sector, data, Preflush: preflush, Fua: fua));
                    return true;
                }
        }
    }

    private void ParsePmemNamespace(string? label, ScenarioToken head)
    {
        var name = Expect(ScenarioTokenKind.Word, "a namespace name");
        if (pmemNamespaces.Contains(name.Text))
        {
            throw Fail(name, ScenarioMessages.DuplicateName("pmem namespace", name.Text));
        }
        var over = Expect(ScenarioTokenKind.Word, "'over'");
        if (over.Text != "over")
        {
            throw Fail(over, ScenarioMessages.Expected("'over'", Describe(over)));
        }
        var range = Expect(ScenarioTokenKind.Word, "a range name");
        if (!ranges.TryGetValue(range.Text, out var r))
        {
            throw Fail(range, ScenarioMessages.UnknownRange(range.Text));
        }
        if (r.Kind != Platform.Addressing.ResourceKind.PersistentMemory)
        {
            throw Fail(range, $"range '{range.Text}' is {r.Kind}: a pmem namespace needs a 'pmem' range");
        }
        var hints = 1;
        foreach (var (key, value) in Options("pmem-namespace", "flush-hints"))
        {
            _ = key;
            var n = ParseNumber(value);
            if (n > 64)
            {
                throw Fail(value, ScenarioMessages.BadValue("flush-hints", value.Text, "0 to 64"));
            }
            hints = (int)n;
        }
        pmemNamespaces.Add(name.Text);
        pmemNamespaceSizes[name.Text] = r.Size;
        spec.Steps.Add(new PmemNamespaceStep(label, Span(head), name.Text, range.Text, hints));
    }

    /// <summary>An optional namespace name; without one, the only declared namespace. A word that names no declared
    /// namespace is an error (what follows a namespace is a number, data or the end of the line).</summary>
    private string ParseNamespaceRef(ScenarioToken head)
    {
        if (Peek.Kind == ScenarioTokenKind.Word)
        {
            return pmemNamespaces.Contains(Peek.Text) ? Next().Text
                : throw Fail(Peek, ScenarioMessages.UnknownNamespace(Peek.Text, pmemNamespaces));
        }
        return pmemNamespaces.Count switch
        {
            1 => pmemNamespaces[0],
            0 => throw Fail(head, "no pmem namespace: declare one with 'pmem-namespace NAME over RANGE' first"),
            _ => throw Fail(Peek, $"several pmem namespaces are declared ({string.Join(", ", pmemNamespaces)}): name one"),
        };
    }

    private (IovIterKind Iter, int FaultAt) ParseIterOptions(string statement, int length)
    {
        var iter = IovIterKind.UserIovec;
        var fault = -1;
        ScenarioToken? faultToken = null;
        foreach (var (key, value) in Options(statement, "iter", "fault-at"))
        {
            if (key.Text == "iter")
            {
                iter = value.Text switch
                {
                    "user" => IovIterKind.UserIovec,
                    "kvec" => IovIterKind.Kvec,
                    "bvec" => IovIterKind.Bvec,
                    _ => throw Fail(value, ScenarioMessages.BadValue("iter", value.Text, "user, kvec or bvec")),
                };
            }
            else
            {
                var n = ParseNumber(value);
                if (n >= (ulong)length)
                {
                    throw Fail(value, ScenarioMessages.BadValue("fault-at", value.Text, $"0 to {length - 1} (a byte of the data)"));
                }
                fault = (int)n;
                faultToken = value;
            }
        }
        if (fault >= 0 && iter != IovIterKind.UserIovec)
        {
            throw Fail(faultToken!.Value, $"fault-at needs iter=user: {iter} sources are kernel memory and do not fault");
        }
        return (iter, fault);
    }
}
