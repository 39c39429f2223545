using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Nvdimm;

/// <summary>The sysfs commands of <c>/sys/bus/nd/devices/nmemX/security</c>.</summary>
public enum NvdimmSecurityCommand
{
    /// <summary><c>freeze</c> (1 token).</summary>
    Freeze,

    /// <summary><c>disable &lt;keyid&gt;</c> (2 tokens).</summary>
    Disable,

    /// <summary><c>disable_master &lt;keyid&gt;</c> (2 tokens).</summary>
    DisableMaster,

    /// <summary><c>update &lt;keyid&gt; &lt;newkeyid&gt;</c> (3 tokens).</summary>
    Update,

    /// <summary><c>erase &lt;keyid&gt;</c> (2 tokens).</summary>
    Erase,

    /// <summary><c>overwrite &lt;keyid&gt;</c> (2 tokens).</summary>
    Overwrite,

    /// <summary><c>master_update &lt;keyid&gt; &lt;newkeyid&gt;</c> (3 tokens).</summary>
    MasterUpdate,

    /// <summary><c>master_erase &lt;keyid&gt;</c> (2 tokens).</summary>
    MasterErase,
}

public sealed partial class Nvdimm
{
    /// <summary><c>SEC_CMD_SIZE</c>: the width of the command token in the sysfs <c>sscanf</c>.</summary>
    public const int CommandWidth = 32;

    /// <summary><c>KEY_ID_SIZE</c>: the width of each key-id token.</summary>
    public const int KeyIdWidth = 10;

    private static readonly (string Name, NvdimmSecurityCommand Command, int Args)[] Commands =
    [
        ("freeze", NvdimmSecurityCommand.Freeze, 1),
        ("disable", NvdimmSecurityCommand.Disable, 2),
        ("disable_master", NvdimmSecurityCommand.DisableMaster, 2),
        ("update", NvdimmSecurityCommand.Update, 3),
        ("erase", NvdimmSecurityCommand.Erase, 2),
        ("overwrite", NvdimmSecurityCommand.Overwrite, 2),
        ("master_update", NvdimmSecurityCommand.MasterUpdate, 3),
        ("master_erase", NvdimmSecurityCommand.MasterErase, 2),
    ];

    /// <summary>The number of tokens (command included) each sysfs command takes.</summary>
    public static int ArgumentCount(NvdimmSecurityCommand command)
    {
        foreach (var c in Commands)
        {
            if (c.Command == command)
            {
                return c.Args;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(command));
    }

    /// <summary>True when the <c>security</c> attribute is visible: the DIMM has ops and non-zero flags.</summary>
    public bool SecurityAttributeVisible => Ops is not null && SecurityFlags != NvdimmSecurityFlags.None;

    /// <summary>True when the attribute is writable (mode 0644): some state-changing op exists (<c>nvdimm_visible</c>).</summary>
    public bool SecurityAttributeWritable => Has(NvdimmSecurityOpKinds.Freeze) || Has(NvdimmSecurityOpKinds.Disable)
        || Has(NvdimmSecurityOpKinds.ChangeKey) || Has(NvdimmSecurityOpKinds.Erase) || Has(NvdimmSecurityOpKinds.Overwrite);

    /// <summary>
    /// A write to the sysfs <c>security</c> attribute (<c>security_store</c> → <c>nvdimm_security_store</c>):
    /// <c>sscanf("%32s %10s %10s")</c>, an unknown command or a missing key id gives -EINVAL, key ids parse with
    /// <c>kstrtouint(s, 0)</c>; <c>erase</c>, <c>master_erase</c> and <c>overwrite</c> give -EBUSY while an active
    /// region uses the DIMM. The kernel returns the byte count on success; the model returns <see cref="Errno.Ok"/>.
    /// A hidden attribute gives -ENOENT and a read-only one -EACCES (what the VFS answers before the driver runs).
    /// </summary>
    public Errno SecurityStore(string buffer)
    {
        if (!SecurityAttributeVisible)
        {
            return Errno.ENOENT;
        }
        if (!SecurityAttributeWritable)
        {
            return Errno.EACCES;
        }
        var tokens = Scan(buffer, CommandWidth, KeyIdWidth, KeyIdWidth);
        if (tokens.Count < 1)
        {
            return Errno.EINVAL;
        }
        var index = -1;
        for (var i = 0; i < Commands.Length; i++)
        {
            if (SysfsStreq(tokens[0], Commands[i].Name))
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            return Errno.EINVAL;
        }
        var (name, command, args) = Commands[index];
        uint key = 0, newKey = 0;
        var rc = Errno.Ok;
        if (args > 1)
        {
            rc = KstrToUint(tokens.Count > 1 ? tokens[1] : "", out key);
        }
        if (rc == Errno.Ok && args > 2)
        {
            rc = KstrToUint(tokens.Count > 2 ? tokens[2] : "", out newKey);
        }
        if (rc != Errno.Ok)
        {
            return rc;
        }
        switch (command)
        {
            case NvdimmSecurityCommand.Freeze:
                Debug("freeze");
                return Freeze();
            case NvdimmSecurityCommand.Disable:
                Debug($"disable {key}");
                return Disable(key, NvdimmPassphraseType.User);
            case NvdimmSecurityCommand.DisableMaster:
                Debug($"disable_master {key}");
                return Disable(key, NvdimmPassphraseType.Master);
            case NvdimmSecurityCommand.Update:
            case NvdimmSecurityCommand.MasterUpdate:
                Debug($"{name} {key} {newKey}");
                return Update(key, newKey, command == NvdimmSecurityCommand.Update ? NvdimmPassphraseType.User : NvdimmPassphraseType.Master);
            case NvdimmSecurityCommand.Erase:
            case NvdimmSecurityCommand.MasterErase:
                Debug($"{name} {key}");
                if (Busy > 0)
                {
                    Debug("Unable to secure erase while DIMM active.");
                    return Errno.EBUSY;
                }
                return Erase(key, command == NvdimmSecurityCommand.Erase ? NvdimmPassphraseType.User : NvdimmPassphraseType.Master);
            default:
                Debug($"overwrite {key}");
                if (Busy > 0)
                {
                    Debug("Unable to overwrite while DIMM active.");
                    return Errno.EBUSY;
                }
                return Overwrite(key);
        }
    }

    /// <summary>
    /// A read of the sysfs <c>security</c> attribute: "overwrite", "disabled", "unlocked" or "locked" (tested in that
    /// order, with a newline), or -ENOTTY when none is set.
    /// </summary>
    public Errno SecurityShow(out string text)
    {
        text = "";
        if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Overwrite))
        {
            text = "overwrite\n";
        }
        else if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Disabled))
        {
            text = "disabled\n";
        }
        else if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Unlocked))
        {
            text = "unlocked\n";
        }
        else if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Locked))
        {
            text = "locked\n";
        }
        else
        {
            return Errno.ENOTTY;
        }
        return Errno.Ok;
    }

    /// <summary>The sysfs <c>frozen</c> attribute: "1\n" or "0\n".</summary>
    public string FrozenShow() => SecurityFlags.HasFlag(NvdimmSecurityFlags.Frozen) ? "1\n" : "0\n";

    /// <summary>
    /// <c>sscanf</c> with <c>%Ns</c> conversions: each skips white space, then takes at most N non-space characters
    /// (a longer word is split, the rest feeding the next conversion).
    /// </summary>
    public static List<string> Scan(string input, params int[] widths)
    {
        var tokens = new List<string>();
        var pos = 0;
        foreach (var width in widths)
        {
            while (pos < input.Length && char.IsWhiteSpace(input[pos]))
            {
                pos++;
            }
            if (pos >= input.Length)
            {
                break;
            }
            var start = pos;
            while (pos < input.Length && !char.IsWhiteSpace(input[pos]) && pos - start < width)
            {
                pos++;
            }
            tokens.Add(input[start..pos]);
        }
        return tokens;
    }

    /// <summary><c>sysfs_streq</c>: equal, ignoring one trailing newline on either side.</summary>
    public static bool SysfsStreq(string a, string b) => a.TrimEnd('\n') == b.TrimEnd('\n');

    /// <summary>
    /// <c>kstrtouint(s, 0, &amp;v)</c>: optional '+', then "0x" hex, a leading '0' octal, or decimal; one trailing newline
    /// allowed. -EINVAL for anything else (including the empty string), -ERANGE above 2^32-1.
    /// </summary>
    public static Errno KstrToUint(string s, out uint value)
    {
        value = 0;
        if (s.EndsWith('\n'))
        {
            s = s[..^1];
        }
        if (s.StartsWith('+'))
        {
            s = s[1..];
        }
        var radix = 10;
        if (s.Length > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            radix = 16;
            s = s[2..];
        }
        else if (s.Length > 1 && s[0] == '0')
        {
            radix = 8;
            s = s[1..];
        }
        if (s.Length == 0)
        {
            return Errno.EINVAL;
        }
        ulong v = 0;
        foreach (var c in s)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (d >= radix)
            {
                return Errno.EINVAL;
            }
            v = (v * (ulong)radix) + (ulong)d;
            if (v > uint.MaxValue)
            {
                return Errno.ERANGE;
            }
        }
        value = (uint)v;
        return Errno.Ok;
    }
}
