using System.Text;
using Coherence.Text.Litmus.Parsing;

namespace Coherence.Text.Tests.Litmus;

/// <summary>Runs the fuzz target over seeded random mutations of every example file.</summary>
public class FuzzTests
{
    private const int MutationsPerFile = 200;

    private static readonly string[] Dictionary =
    [
        "(*", "*)", "{", "}", "|", ";", "[", "]", "(", ")", @"/\", @"\/", "~", "=>", "=", ",", ":", "$", "#", "%",
        "-", "+", "\"", "\n", "\r\n", " ", "//", "0x", "18446744073709551616", "9223372036854775808", "-1",
        "exists", "~exists", "forall", "crash", "locations", "filter", "true", "false", "P0", "P1", "P9", "0:", "7:",
        "EAX", "%rax", "X1", "W0", "x", "y", "L0:", "L0", "MOV", "LOCK", "lock", "XADD", "DMB", "ISH", "DC",
        "CVAP", "B.EQ", "JNE", "CBZ W0,", "SXTW", "LSL #3", "CacheLine=", "Expected=", "Persistence=", "int64_t",
        "X86 ", "AArch64 ", "X86_64 ", "\u00e9", "\uFFFD",
    ];

    [Fact]
    public void Mutated_examples_never_break_the_parser()
    {
        var inputs = 0;
        var parsed = 0;
        foreach (var path in ExampleFiles.All)
        {
            var original = File.ReadAllBytes(path);
            var random = new SplitMix64((ulong)StringComparer.Ordinal.GetHashCode(ExampleFiles.Relative(path)) ^ 0x9E3779B97F4A7C15);
            for (var i = 0; i < MutationsPerFile; i++)
            {
                var input = Mutate(original, ref random);
                inputs++;
                Run(input, $"{ExampleFiles.Relative(path)} mutation {i}");
                if (LitmusParser.Parse(Encoding.UTF8.GetString(input), "f").Succeeded)
                {
                    parsed++;
                }
            }
        }

        Assert.True(inputs >= 5000, $"only {inputs} inputs");

        // Both sides of the target must be exercised: trees that round-trip and inputs with diagnostics.
        Assert.InRange(parsed, inputs / 50, inputs - (inputs / 5));
    }

    [Fact]
    public void Random_bytes_never_break_the_parser()
    {
        var random = new SplitMix64(42);
        for (var i = 0; i < 2000; i++)
        {
            var input = new byte[random.Next(200)];
            for (var j = 0; j < input.Length; j++)
            {
                input[j] = (byte)random.Next(256);
            }

            Run(input, $"random input {i}");
        }
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("~", "")]
    [InlineData("(~", ")")]
    public void Deep_nesting_is_a_diagnostic_not_a_stack_overflow(string open, string close)
    {
        var body = string.Concat(Enumerable.Repeat(open, 100_000)) + "x=1" + string.Concat(Enumerable.Repeat(close, 100_000));
        var text = "X86 T\n{}\n P0 ;\n MFENCE ;\nexists " + body + "\n";

        var result = LitmusParser.Parse(text, "deep.litmus");

        Assert.Contains(result.Diagnostics, d => d.Message == Messages.NestingTooDeep(Parser.MaxPropositionDepth));
        LitmusFuzzTarget.Fuzz(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void A_long_flat_conjunction_is_limited_too()
    {
        var body = string.Join(@" /\ ", Enumerable.Repeat("x=1", 100_000));
        var text = "X86 T\n{}\n P0 ;\n MFENCE ;\nexists (" + body + ")\n";

        var result = LitmusParser.Parse(text, "flat.litmus");

        Assert.Contains(result.Diagnostics, d => d.Message == Messages.NestingTooDeep(Parser.MaxPropositionDepth));
    }

    private static void Run(byte[] input, string name)
    {
        try
        {
            LitmusFuzzTarget.Fuzz(input);
        }
        catch (Exception e)
        {
            Assert.Fail($"{name} broke the parser: {e}\n--- input as text ---\n{Encoding.UTF8.GetString(input)}\n"
                + $"--- input as hex ---\n{Convert.ToHexString(input)}");
        }
    }

    private static byte[] Mutate(byte[] original, ref SplitMix64 random)
    {
        var data = new List<byte>(original);
        var count = 1 + random.Next(4);
        for (var m = 0; m < count; m++)
        {
            var at = random.Next(data.Count + 1);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = (byte)random.Next(128);
                    break;
                case 1:
                case 2:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(Dictionary[random.Next(Dictionary.Length)]));
                    break;
                case 3:
                    data.RemoveRange(at, Math.Min(random.Next(16), data.Count - at));
                    break;
                case 4:
                    var length = Math.Min(random.Next(40), data.Count - at);
                    var copy = data.GetRange(at, length);
                    data.InsertRange(random.Next(data.Count + 1), copy);
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>A small seeded generator of our own, so the mutations are the same on every .NET version.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong state = seed;

        public int Next(int bound)
        {
            state += 0x9E3779B97F4A7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return bound <= 0 ? 0 : (int)(z % (ulong)bound);
        }
    }
}
