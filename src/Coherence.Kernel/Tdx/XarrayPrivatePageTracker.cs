namespace Coherence.Kernel.Tdx;

/// <summary>
/// A sparse per-frame map shaped like the xarray KVM keeps for memory attributes (<c>kvm-&gt;mem_attr_array</c>,
/// one entry per GFN with KVM_MEMORY_ATTRIBUTE_PRIVATE): a radix tree of 64-slot nodes, six index bits per level,
/// nodes created on first use and freed when their last entry goes. Leaves hold 8-byte value entries like
/// <c>xa_mk_value(attributes)</c>. Each node costs 576 bytes, as <c>struct xa_node</c> does on x86-64 (the model's
/// node object plus its 64-slot array is the same size). Memory grows with the number of 64-page groups that hold
/// a private page; a query walks one node per level.
/// </summary>
public sealed class XarrayPrivatePageTracker : IPrivatePageTracker
{
    /// <summary>sizeof(struct xa_node) on x86-64 with XA_CHUNK_SHIFT 6.</summary>
    public const int NodeBytes = 576;

    /// <summary>KVM_MEMORY_ATTRIBUTE_PRIVATE.</summary>
    public const ulong KvmMemoryAttributePrivate = 1UL << 3;

    /// <summary>The entry stored for a private page: xa_mk_value(KVM_MEMORY_ATTRIBUTE_PRIVATE).</summary>
    public const ulong PrivateEntry = (KvmMemoryAttributePrivate << 1) | 1;

    private const int Shift = 6;
    private const int Slots = 1 << Shift;
    private const int Mask = Slots - 1;

    private readonly int levels;
    private readonly Node?[] path;
    private Node? root;
    private long count;

    /// <summary>Creates an empty map for <paramref name="pageCount"/> frames.</summary>
    public XarrayPrivatePageTracker(ulong pageCount)
    {
        if (pageCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), "0 pages");
        }
        PageCount = pageCount;
        levels = 1;
        while (levels < 11 && (pageCount - 1) >> (Shift * levels) != 0)
        {
            levels++;
        }
        path = new Node?[levels];
    }

    /// <summary>Levels of the tree (1 per six index bits).</summary>
    public int Levels => levels;

    /// <summary>Nodes allocated now.</summary>
    public long NodeCount { get; private set; }

    /// <inheritdoc/>
    public string Name => "xarray";

    /// <inheritdoc/>
    public ulong PageCount { get; }

    /// <inheritdoc/>
    public long PrivateCount => count;

    /// <inheritdoc/>
    public long MemoryBytes => NodeCount * NodeBytes;

    /// <inheritdoc/>
    public bool Mark(ulong pfn)
    {
        Check(pfn);
        root ??= NewNode(levels == 1);
        var node = root;
        for (var level = levels - 1; level > 0; level--)
        {
            var i = (int)(pfn >> (Shift * level)) & Mask;
            var child = (Node?)node.Children![i];
            if (child is null)
            {
                child = NewNode(level == 1);
                node.Children[i] = child;
                node.Count++;
            }
            node = child;
        }
        ref var slot = ref node.Values![(int)pfn & Mask];
        if (slot != 0)
        {
            return false;
        }
        slot = PrivateEntry;
        node.Count++;
        count++;
        return true;
    }

    /// <inheritdoc/>
    public bool Clear(ulong pfn)
    {
        Check(pfn);
        var node = root;
        for (var level = levels - 1; level > 0 && node is not null; level--)
        {
            path[level] = node;
            node = (Node?)node.Children![(int)(pfn >> (Shift * level)) & Mask];
        }
        if (node is null)
        {
            return false;
        }
        ref var slot = ref node.Values![(int)pfn & Mask];
        if (slot == 0)
        {
            return false;
        }
        slot = 0;
        count--;
        // Free nodes that became empty, bottom up (xas_delete_node).
        node.Count--;
        for (var level = 1; level < levels && node.Count == 0; level++)
        {
            var parent = path[level]!;
            parent.Children![(int)(pfn >> (Shift * level)) & Mask] = null;
            parent.Count--;
            NodeCount--;
            node = parent;
        }
        if (root is not null && root.Count == 0)
        {
            root = null;
            NodeCount--;
        }
        return true;
    }

    /// <inheritdoc/>
    public bool IsPrivate(ulong pfn)
    {
        Check(pfn);
        var node = root;
        for (var level = levels - 1; level > 0 && node is not null; level--)
        {
            node = (Node?)node.Children![(int)(pfn >> (Shift * level)) & Mask];
        }
        return node is not null && node.Values![(int)pfn & Mask] != 0;
    }

    /// <inheritdoc/>
    public IEnumerable<ulong> EnumeratePrivate()
    {
        if (root is null)
        {
            yield break;
        }
        var stack = new Stack<(Node Node, int Level, ulong Base)>();
        stack.Push((root, levels - 1, 0));
        while (stack.Count > 0)
        {
            var (node, level, b) = stack.Pop();
            if (level == 0)
            {
                for (var i = 0; i < Slots; i++)
                {
                    if (node.Values![i] != 0)
                    {
                        yield return b + (ulong)i;
                    }
                }
                continue;
            }
            for (var i = Slots - 1; i >= 0; i--)
            {
                if (node.Children![i] is Node child)
                {
                    stack.Push((child, level - 1, b + ((ulong)i << (Shift * level))));
                }
            }
        }
    }

    /// <inheritdoc/>
    public long ResetAll(Action<ulong>? reset = null)
    {
        long n = 0;
        if (root is not null)
        {
            n = Walk(root, levels - 1, 0, reset);
        }
        root = null;
        NodeCount = 0;
        count = 0;
        return n;
    }

    private static long Walk(Node node, int level, ulong b, Action<ulong>? reset)
    {
        long n = 0;
        if (level == 0)
        {
            for (var i = 0; i < Slots; i++)
            {
                if (node.Values![i] != 0)
                {
                    reset?.Invoke(b + (ulong)i);
                    n++;
                }
            }
            return n;
        }
        for (var i = 0; i < Slots; i++)
        {
            if (node.Children![i] is Node child)
            {
                n += Walk(child, level - 1, b + ((ulong)i << (Shift * level)), reset);
            }
        }
        return n;
    }

    private Node NewNode(bool leaf)
    {
        NodeCount++;
        return new Node(leaf);
    }

    private void Check(ulong pfn)
    {
        if (pfn >= PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn 0x{pfn:x} is past the last page 0x{PageCount - 1:x}");
        }
    }

    private sealed class Node
    {
        public Node(bool leaf)
        {
            if (leaf)
            {
                Values = new ulong[Slots];
            }
            else
            {
                Children = new object?[Slots];
            }
        }

        public object?[]? Children { get; }

        public ulong[]? Values { get; }

        public int Count { get; set; }
    }
}
