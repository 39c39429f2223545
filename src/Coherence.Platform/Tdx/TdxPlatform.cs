namespace Coherence.Platform.Tdx;

/// <summary>
/// A TDX-capable platform: the CPU model, whether it has the partial-write erratum (X86_BUG_TDX_PW_MCE), and which
/// KeyIDs are TDX-private (the BIOS splits the KeyID space into MKTME KeyIDs below and TDX KeyIDs from
/// <see cref="FirstPrivateKeyId"/>; the first private one is the TDX module's global KeyID).
/// </summary>
public sealed record TdxPlatform
{
    /// <summary>The CPU model.</summary>
    public TdxCpuModel Model { get; init; } = TdxCpuModel.SapphireRapids;

    /// <summary>The partial-write erratum; by default on for Sapphire and Emerald Rapids, as check_tdx_erratum() decides.</summary>
    public bool? PartialWriteErratumOverride { get; init; }

    /// <summary>True when a partial write from outside a TD poisons a TD-private line.</summary>
    public bool PartialWriteErratum => PartialWriteErratumOverride ?? Model is TdxCpuModel.SapphireRapids or TdxCpuModel.EmeraldRapids;

    /// <summary>The first TDX-private KeyID (1 to 62); KeyIDs from here to 63 are private.</summary>
    public int FirstPrivateKeyId { get; init; } = 32;

    /// <summary>True when <paramref name="keyId"/> is a TDX-private KeyID.</summary>
    public bool IsPrivate(int keyId) => keyId >= FirstPrivateKeyId;

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    public void Validate()
    {
        if (FirstPrivateKeyId < 1 || FirstPrivateKeyId > Addressing.KeyIds.Count - 2)
        {
            throw new ArgumentException($"first TDX private KeyID {FirstPrivateKeyId} must be between 1 and {Addressing.KeyIds.Count - 2}");
        }
    }
}
