using Coherence.Checking.Litmus;
using Coherence.Text.Diagnostics;
using Coherence.Text.Litmus.Printing;
using Coherence.Text.Litmus.Syntax;
using EngineDomain = Coherence.Platform.Persistence.PersistenceDomain;

namespace Coherence.Text.Litmus.Lowering;

/// <summary>
/// Turns a parsed X86, X86_64 or AArch64 litmus test into the engine's <see cref="LitmusProgram"/>: locations laid
/// out on cache lines (one line each unless <c>CacheLine=</c> groups them, 8 bytes apart), instructions lowered to
/// engine operations in Intel operand order (AArch64: destination first), registers canonicalised (EAX, AX and AL
/// are RAX; W0 is X0), conditions as propositions.
/// What the engine cannot run is reported as diagnostics at the instruction.
/// </summary>
public sealed partial class LitmusLowering
{
    private readonly LitmusTest test;
    private readonly DiagnosticBag diagnostics = new();
    private readonly List<string> locationOrder = [];
    private readonly Dictionary<string, int> locationSize = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> initialValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> initialAddresses = new(StringComparer.Ordinal);
    private List<LitmusLocation> locations = [];
    private readonly List<Dictionary<string, int>> registerIndex = [];
    private readonly List<List<string>> registerNames = [];
    private readonly bool att;
    private readonly bool arm;

    private LitmusLowering(LitmusTest test)
    {
        this.test = test;
        att = test.Architecture == Architecture.X86_64;
        arm = test.Architecture == Architecture.AArch64;
    }

    /// <summary>Lowers <paramref name="test"/>; returns the program, or null with diagnostics.</summary>
    public static (LitmusProgram? Program, IReadOnlyList<Diagnostic> Diagnostics) Lower(LitmusTest test)
    {
        var l = new LitmusLowering(test);
        var program = l.Run();
        return l.diagnostics.Count > 0 ? (null, l.diagnostics.Items) : (program, []);
    }

    private void Error(SyntaxNode at, string message) => diagnostics.Report(at.Location, message);

    private LitmusProgram? Run()
    {
        CollectLocations();
        LayOutLocations();
        var threads = new List<LitmusThread>();
        foreach (var t in test.Threads)
        {
            threads.Add(LowerThread(t));
        }
        var conditions = new List<LitmusCondition>();
        var observables = new List<Observable>();
        var crashLocations = new List<int>();
        foreach (var c in test.Conditions)
        {
            var body = LowerProp(c.Body, c.Crash, c.Crash ? null : observables, c.Crash ? crashLocations : null);
            conditions.Add(new LitmusCondition(LitmusPrinter.FormatCondition(c), c.Crash ? ConditionScope.Crash : ConditionScope.Final,
                c.Quantifier switch
                {
                    Quantifier.Exists => ConditionQuantifier.Exists,
                    Quantifier.NotExists => ConditionQuantifier.NotExists,
                    _ => ConditionQuantifier.ForAll,
                }, body));
        }
        if (test.Locations is { } listed)
        {
            foreach (var loc in listed)
            {
                AddObservable(loc, observables);
            }
        }
        var filter = test.Filter is null ? null : LowerProp(test.Filter, false, observables, null);
        // Registers that only conditions mention got indices after the threads were lowered: extend initial values.
        var finalThreads = threads.Select((t, i) => t with
        {
            Registers = [.. registerNames[i]],
            InitialRegisters = [.. t.InitialRegisters, .. Enumerable.Repeat(0L, registerNames[i].Count - t.InitialRegisters.Count)],
        }).ToList();
        return new LitmusProgram
        {
            Name = test.Name,
            Architecture = test.Architecture switch
            {
                Architecture.X86 => "X86",
                Architecture.X86_64 => "X86_64",
                _ => "AArch64",
            },
            Locations = locations,
            Threads = finalThreads,
            Conditions = conditions,
            Observables = observables,
            CrashLocations = crashLocations,
            Filter = filter,
            Persistence = test.Persistence switch
            {
                PersistenceDomain.Eadr => EngineDomain.Eadr,
                PersistenceDomain.None => EngineDomain.None,
                _ => EngineDomain.Adr,
            },
            Expected = test.Expected switch
            {
                Expectation.Allowed => Verdict.Allowed,
                Expectation.Forbidden => Verdict.Forbidden,
                _ => null,
            },
        };
    }

    private void NoteLocation(string name, int size = 0)
    {
        if (!locationSize.ContainsKey(name))
        {
            locationOrder.Add(name);
            locationSize[name] = 4;
        }
        if (size > locationSize[name])
        {
            locationSize[name] = size;
        }
    }

    private void CollectLocations()
    {
        foreach (var group in test.CacheLines)
        {
            foreach (var name in group)
            {
                NoteLocation(name);
            }
        }
        foreach (var item in test.Init)
        {
            var typed = item.Type is { } ty && (ty.Contains("64", StringComparison.Ordinal) || ty.Contains("long", StringComparison.Ordinal)) ? 8 : 0;
            if (item.Target is MemoryLocation m)
            {
                NoteLocation(m.Name, typed);
                if (item.Value is IntegerValue iv)
                {
                    initialValues[m.Name] = iv.Value;
                }
                else if (item.Value is AddressValue av)
                {
                    NoteLocation(av.Symbol, 8);
                    initialAddresses[m.Name] = av.Symbol;
                    locationSize[m.Name] = 8;
                }
            }
            else if (item.Value is AddressValue av)
            {
                NoteLocation(av.Symbol);
            }
        }
        foreach (var t in test.Threads)
        {
            foreach (var line in t.Lines)
            {
                if (line.Instruction is not { } ins)
                {
                    continue;
                }
                foreach (var o in ins.Operands)
                {
                    if (o is MemoryOperand { Symbol: { } sym })
                    {
                        NoteLocation(sym, AccessSize(ins));
                    }
                }
            }
        }
        foreach (var c in test.Conditions)
        {
            NoteAtoms(c.Body);
        }
    }

    private void NoteAtoms(Proposition p)
    {
        switch (p)
        {
            case EqualsAtom { Target: MemoryLocation m } a:
                NoteLocation(m.Name);
                if (a.Value is AddressValue av)
                {
                    NoteLocation(av.Symbol);
                }
                break;
            case NotProposition n:
                NoteAtoms(n.Operand);
                break;
            case BinaryProposition b:
                NoteAtoms(b.Left);
                NoteAtoms(b.Right);
                break;
        }
    }

    private void LayOutLocations()
    {
        var placed = new Dictionary<string, (int Line, int Offset)>(StringComparer.Ordinal);
        var line = 0;
        foreach (var group in test.CacheLines)
        {
            var offset = 0;
            foreach (var name in group)
            {
                if (placed.ContainsKey(name) || offset >= 64)
                {
                    continue;
                }
                placed[name] = (line, offset);
                offset += 8;
            }
            line++;
        }
        foreach (var name in locationOrder)
        {
            if (!placed.ContainsKey(name))
            {
                placed[name] = (line++, 0);
            }
        }
        var list = locationOrder.Select(n => new LitmusLocation(n, initialValues.GetValueOrDefault(n), locationSize[n], placed[n].Line, placed[n].Offset)).ToList();
        locations = list;
        // a location initialised to another's address
        foreach (var (name, target) in initialAddresses)
        {
            var i = locationOrder.IndexOf(name);
            locations[i] = locations[i] with { Initial = (long)Checking.Litmus.LitmusExecution.AddressOf(locations[locationOrder.IndexOf(target)]) };
        }
    }

    private int LocationIndex(string name) => locationOrder.IndexOf(name);

    private int AccessSize(Instruction ins)
    {
        if (test.Architecture == Architecture.X86_64 && InstructionSet.X86_64.TryGetMnemonic(ins.Mnemonic, out var info) && info.SuffixBytes > 0)
        {
            return info.SuffixBytes;
        }
        foreach (var o in ins.Operands)
        {
            if (o is RegisterOperand r)
            {
                return RegisterWidth(r.Name);
            }
        }
        return 0;
    }

    /// <summary>The canonical 64-bit name of an x86 register (EAX → RAX, R8D → R8, AL → RAX).</summary>
    internal static string CanonicalRegister(string name)
    {
        var n = name.TrimStart('%').ToUpperInvariant();
        if (n.StartsWith('R') && n.Length >= 2 && char.IsAsciiDigit(n[1]))
        {
            return n.TrimEnd('D', 'W', 'B');
        }
        return n switch
        {
            "EAX" or "AX" or "AL" or "AH" or "RAX" => "RAX",
            "EBX" or "BX" or "BL" or "BH" or "RBX" => "RBX",
            "ECX" or "CX" or "CL" or "CH" or "RCX" => "RCX",
            "EDX" or "DX" or "DL" or "DH" or "RDX" => "RDX",
            "ESI" or "SI" or "SIL" or "RSI" => "RSI",
            "EDI" or "DI" or "DIL" or "RDI" => "RDI",
            "EBP" or "BP" or "BPL" or "RBP" => "RBP",
            "ESP" or "SP" or "SPL" or "RSP" => "RSP",
            _ => n,
        };
    }

    internal static int RegisterWidth(string name)
    {
        var n = name.TrimStart('%').ToUpperInvariant();
        if (n.StartsWith('R') && n.Length >= 2 && char.IsAsciiDigit(n[1]))
        {
            return n.EndsWith('D') ? 4 : n.EndsWith('W') ? 2 : n.EndsWith('B') ? 1 : 8;
        }
        if (n.StartsWith('R'))
        {
            return 8;
        }
        if (n.StartsWith('E'))
        {
            return 4;
        }
        return n.EndsWith('L') || n.EndsWith('H') ? 1 : 2;
    }

    private int Register(int thread, string name)
    {
        while (registerIndex.Count <= thread)
        {
            registerIndex.Add(new Dictionary<string, int>(StringComparer.Ordinal));
            registerNames.Add([]);
        }
        var canonical = arm ? CanonicalArm64Register(name) : CanonicalRegister(name);
        if (!registerIndex[thread].TryGetValue(canonical, out var i))
        {
            i = registerNames[thread].Count;
            registerIndex[thread][canonical] = i;
            registerNames[thread].Add(canonical);
        }
        return i;
    }
}
