namespace Coherence.Kernel.Cxl;

/// <summary>CXL mailbox opcodes of the security and sanitize command sets (spec §2.4).</summary>
public enum CxlMboxOpcode : ushort
{
    /// <summary>CXL_MBOX_OP_SANITIZE.</summary>
    Sanitize = 0x4400,

    /// <summary>CXL_MBOX_OP_SECURE_ERASE.</summary>
    SecureErase = 0x4401,

    /// <summary>CXL_MBOX_OP_GET_SECURITY_STATE.</summary>
    GetSecurityState = 0x4500,

    /// <summary>CXL_MBOX_OP_SET_PASSPHRASE.</summary>
    SetPassphrase = 0x4501,

    /// <summary>CXL_MBOX_OP_DISABLE_PASSPHRASE.</summary>
    DisablePassphrase = 0x4502,

    /// <summary>CXL_MBOX_OP_UNLOCK.</summary>
    Unlock = 0x4503,

    /// <summary>CXL_MBOX_OP_FREEZE_SECURITY.</summary>
    FreezeSecurity = 0x4504,

    /// <summary>CXL_MBOX_OP_PASSPHRASE_SECURE_ERASE.</summary>
    PassphraseSecureErase = 0x4505,
}

/// <summary>The GET_SECURITY_STATE output bits (<c>CXL_PMEM_SEC_STATE_*</c>).</summary>
[Flags]
public enum CxlSecurityState : uint
{
    /// <summary>Nothing set.</summary>
    None = 0,

    /// <summary>USER_PASS_SET.</summary>
    UserPassSet = 0x01,

    /// <summary>MASTER_PASS_SET.</summary>
    MasterPassSet = 0x02,

    /// <summary>LOCKED.</summary>
    Locked = 0x04,

    /// <summary>FROZEN.</summary>
    Frozen = 0x08,

    /// <summary>USER_PLIMIT.</summary>
    UserPassphraseLimit = 0x10,

    /// <summary>MASTER_PLIMIT.</summary>
    MasterPassphraseLimit = 0x20,
}

/// <summary>Mailbox return codes the model produces (<c>enum cxl_return_code</c>, a subset).</summary>
public enum CxlMboxReturnCode
{
    /// <summary>CXL_MBOX_CMD_RC_SUCCESS.</summary>
    Success = 0,

    /// <summary>CXL_MBOX_CMD_RC_BACKGROUND: a background command (sanitize) started.</summary>
    Background = 1,

    /// <summary>CXL_MBOX_CMD_RC_INPUT.</summary>
    InvalidInput = 2,

    /// <summary>CXL_MBOX_CMD_RC_UNSUPPORTED.</summary>
    Unsupported = 3,

    /// <summary>CXL_MBOX_CMD_RC_BUSY: a background command is running.</summary>
    Busy = 6,

    /// <summary>CXL_MBOX_CMD_RC_SECURITY: not valid in the current security state.</summary>
    InvalidSecurityState = 19,

    /// <summary>CXL_MBOX_CMD_RC_PASSPHRASE: incorrect passphrase.</summary>
    IncorrectPassphrase = 20,
}

/// <summary>Passphrase type field of the CXL security commands.</summary>
public enum CxlPassphraseType
{
    /// <summary>0: master.</summary>
    Master = 0,

    /// <summary>1: user.</summary>
    User = 1,
}

/// <summary>
/// Where the CXL region code invalidates CPU caches (spec §2.5 history).
/// </summary>
public enum CxlRegionPolicy
{
    /// <summary>
    /// v6.5 and later (commit d1257d098a5a, today's upstream): invalidate before the decoders are committed and
    /// before they are reset; -ENXIO and "Failed to synchronize CPU cache state" where invalidation is impossible,
    /// unless <c>CONFIG_CXL_REGION_INVALIDATION_TEST</c> bypasses it.
    /// </summary>
    V6_5,

    /// <summary>v6.2: CXL_REGION_F_INCOHERENT set when the last target attaches, flushed (or -ENXIO) at region probe.</summary>
    V6_2,

    /// <summary>No invalidation: the baseline that shows the hazards.</summary>
    None,
}

/// <summary><c>enum cxl_config_state</c>: the configuration state of a region, in order.</summary>
public enum CxlRegionState
{
    /// <summary>CXL_CONFIG_IDLE: any interleave setting may change.</summary>
    Idle,

    /// <summary>CXL_CONFIG_INTERLEAVE_ACTIVE: HPA allocated, interleave settings fixed.</summary>
    InterleaveActive,

    /// <summary>CXL_CONFIG_ACTIVE: every target attached.</summary>
    Active,

    /// <summary>CXL_CONFIG_RESET_PENDING: a decommit is tearing the decoders down.</summary>
    ResetPending,

    /// <summary>CXL_CONFIG_COMMIT: the HDM decoders are programmed and committed.</summary>
    Commit,
}

/// <summary>Decoder and region mode (<c>enum cxl_decoder_mode</c>, a subset).</summary>
public enum CxlDecoderMode
{
    /// <summary>No DPA partition chosen.</summary>
    None,

    /// <summary>Volatile capacity.</summary>
    Ram,

    /// <summary>Persistent capacity.</summary>
    Pmem,
}

/// <summary>Kernel configuration of the CXL region code.</summary>
public sealed record CxlRegionOptions
{
    /// <summary>Where caches are invalidated.</summary>
    public CxlRegionPolicy Policy { get; init; } = CxlRegionPolicy.V6_5;

    /// <summary><c>CONFIG_CXL_REGION_INVALIDATION_TEST</c> (cxl_test/QEMU): bypass a missing invalidation with an info message.</summary>
    public bool RegionInvalidationTest { get; init; }

    /// <summary>
    /// 6.13 and later (default): <c>cxl_region_decode_reset</c> ignores an invalidation failure and the failure is a
    /// <c>dev_WARN</c>; before, the failure (a <c>dev_err</c>) aborted the teardown and the region reverted to COMMIT.
    /// Only <see cref="CxlRegionPolicy.V6_5"/> reads it.
    /// </summary>
    public bool ResetIgnoresInvalidationFailure { get; init; } = true;

    /// <summary>HPA and DPA allocation granule (SZ_256M).</summary>
    public ulong Granule { get; init; } = 256UL << 20;
}
