namespace Coherence.Kernel.Nvdimm;

/// <summary>Key types the NVDIMM code distinguishes: only <c>encrypted</c> keys are accepted.</summary>
public enum KeyType
{
    /// <summary><c>key_type_encrypted</c>: the only type the NVDIMM security code uses.</summary>
    Encrypted,

    /// <summary><c>key_type_user</c>: refused by <c>nvdimm_lookup_user_key</c>.</summary>
    User,

    /// <summary><c>key_type_logon</c>: refused as well.</summary>
    Logon,
}

/// <summary>A key in the kernel key ring: serial, type, description and (decrypted) payload.</summary>
/// <param name="Serial">The key serial (<c>key_serial_t</c>), positive.</param>
/// <param name="Type">The key type.</param>
/// <param name="Description">The description, for NVDIMM passphrases <c>"nvdimm:&lt;dimm_id&gt;"</c>.</param>
/// <param name="Payload">The decrypted payload; an NVDIMM passphrase is exactly 32 bytes.</param>
public sealed record Key(int Serial, KeyType Type, string Description, byte[] Payload);

/// <summary>
/// The user's key ring as the NVDIMM code sees it: <c>lookup_user_key(id)</c> for the sysfs commands and
/// <c>request_key(&amp;key_type_encrypted, "nvdimm:&lt;id&gt;")</c> for unlock at probe. Serials are handed out in
/// order from 0x1000 so that runs are reproducible.
/// </summary>
public sealed class KeyRing
{
    /// <summary><c>NVDIMM_PASSPHRASE_LEN</c>.</summary>
    public const int PassphraseLength = 32;

    private readonly List<Key> keys = [];
    private int nextSerial = 0x1000;

    /// <summary>The keys in the ring.</summary>
    public IReadOnlyList<Key> Keys => keys;

    /// <summary>Adds a key and returns its serial.</summary>
    public int Add(KeyType type, string description, ReadOnlySpan<byte> payload)
    {
        var key = new Key(nextSerial++, type, description, payload.ToArray());
        keys.Add(key);
        return key.Serial;
    }

    /// <summary>Adds an encrypted key of 32 bytes for the NVDIMM <paramref name="dimmId"/> (description <c>nvdimm:&lt;id&gt;</c>).</summary>
    public int AddNvdimmKey(string dimmId, ReadOnlySpan<byte> passphrase) => Add(KeyType.Encrypted, "nvdimm:" + dimmId, passphrase);

    /// <summary>Removes (unlinks) the key <paramref name="serial"/>; returns whether it was there.</summary>
    public bool Remove(int serial) => keys.RemoveAll(k => k.Serial == serial) > 0;

    /// <summary><c>lookup_user_key(serial)</c>: any type; null when absent.</summary>
    public Key? Lookup(int serial)
    {
        foreach (var k in keys)
        {
            if (k.Serial == serial)
            {
                return k;
            }
        }
        return null;
    }

    /// <summary><c>request_key(type, description)</c>: the newest key of that type and description, or null (-ENOKEY).</summary>
    public Key? Request(KeyType type, string description)
    {
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            if (keys[i].Type == type && keys[i].Description == description)
            {
                return keys[i];
            }
        }
        return null;
    }

    /// <summary>A passphrase of 32 bytes made from a short text (zero-padded): a convenience for scenarios and tests.</summary>
    public static byte[] Passphrase(string text)
    {
        var bytes = new byte[PassphraseLength];
        System.Text.Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, PassphraseLength)), bytes);
        return bytes;
    }
}
