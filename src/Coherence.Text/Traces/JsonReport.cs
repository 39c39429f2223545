using System.Text.Json;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>Writes the statistics of a run as one JSON object (<c>--json</c>); the schema is in docs/cachesim.md.</summary>
public static class JsonReport
{
    private static readonly string[] TypeNames = ["read", "write", "instrn", "misc"];

    /// <summary>Writes the statistics of <paramref name="simulator"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, TraceSimulator simulator, DineroOptions options)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("tool", "coherence cachesim");
        w.WriteString("informat", ((char)options.InputFormat).ToString());
        w.WriteNumber("cores", simulator.Config.Cores);
        w.WriteNumber("records", simulator.SimulatedCount);
        w.WriteBoolean("maxCountExceeded", simulator.MaxCountExceeded);
        w.WriteStartArray("caches");
        foreach (var c in simulator.Caches)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteNumber("level", c.Level);
            w.WriteString("type", c.Role switch { CacheRole.Unified => "unified", CacheRole.Instruction => "instruction", _ => "data" });
            w.WriteNumber("size", c.Config.SizeBytes);
            w.WriteNumber("blockSize", c.Config.BlockSize);
            w.WriteNumber("assoc", c.Config.Associativity);
            w.WriteString("repl", ((char)c.Config.Replacement).ToString());
            long fetches = 0;
            long misses = 0;
            w.WriteStartObject("demandFetches");
            for (var t = 0; t < 4; t++)
            {
                w.WriteNumber(TypeNames[t], c.Fetches((TraceOp)t));
                fetches += c.Fetches((TraceOp)t);
            }
            w.WriteNumber("total", fetches);
            w.WriteEndObject();
            w.WriteStartObject("demandMisses");
            for (var t = 0; t < 4; t++)
            {
                w.WriteNumber(TypeNames[t], c.Misses((TraceOp)t));
                misses += c.Misses((TraceOp)t);
            }
            w.WriteNumber("total", misses);
            w.WriteEndObject();
            w.WriteNumber("missRate", misses / (fetches == 0 ? 1.0 : fetches));
            w.WriteNumber("multiBlockRefs", c.MultiBlockReferences);
            w.WriteNumber("bytesFromMemory", c.BytesRead);
            w.WriteNumber("bytesToMemory", c.BytesWritten);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("extensions");
        w.WriteNumber("clflush", simulator.RecordCount(TraceOp.Clflush));
        w.WriteNumber("clflushopt", simulator.RecordCount(TraceOp.Clflushopt));
        w.WriteNumber("clwb", simulator.RecordCount(TraceOp.Clwb));
        w.WriteNumber("ntStores", simulator.RecordCount(TraceOp.NonTemporalStore));
        w.WriteNumber("ntBytesToMemory", simulator.NonTemporalBytes);
        w.WriteNumber("wbinvd", simulator.RecordCount(TraceOp.Wbinvd));
        w.WriteNumber("snoopWriteBacks", simulator.SnoopWriteBacks);
        w.WriteNumber("snoopInvalidations", simulator.SnoopInvalidations);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
