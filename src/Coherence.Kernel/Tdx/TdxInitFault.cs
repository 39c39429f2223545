namespace Coherence.Kernel.Tdx;

/// <summary>A SEAMCALL failure injected into TDX module initialisation, to drive <c>init_tdx_module()</c>'s error path.</summary>
public enum TdxInitFault
{
    /// <summary>Initialisation succeeds.</summary>
    None,

    /// <summary><c>config_global_keyid()</c> fails (TDH.SYS.KEY.CONFIG): the PAMT is configured but not yet initialised.</summary>
    ConfigGlobalKeyId,

    /// <summary><c>init_tdmrs()</c> fails half-way (TDH.SYS.TDMR.INIT): half of the PAMT is initialised and cached.</summary>
    InitTdmrs,
}
