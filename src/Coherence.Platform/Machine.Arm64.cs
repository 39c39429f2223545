using Coherence.Platform.Isa.Arm64;

namespace Coherence.Platform;

/// <summary>The AArch64 instruction interface of each core.</summary>
public sealed partial class Machine
{
    private Arm64Cpu[]? arm64;

    /// <summary>
    /// The AArch64 instruction interface of each core (created on first use). It drives the same cores, caches,
    /// write-combining buffers and devices as <see cref="X86"/>; a platform's software uses one of the two
    /// (<see cref="PlatformConfig.InstructionSet"/>).
    /// </summary>
    public IReadOnlyList<Arm64Cpu> Arm64
    {
        get
        {
            if (arm64 is null)
            {
                var isa = new Arm64Cpu[cpuArray.Length];
                for (var i = 0; i < isa.Length; i++)
                {
                    isa[i] = new Arm64Cpu(this, cpuArray[i]);
                }
                arm64 = isa;
            }
            return arm64;
        }
    }
}
