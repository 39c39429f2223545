using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Nvdimm;

public class SysfsParsingTests
{
    [Theory]
    [InlineData("", Errno.EINVAL)]
    [InlineData("   ", Errno.EINVAL)]
    [InlineData("bogus", Errno.EINVAL)]
    [InlineData("Freeze", Errno.EINVAL)]
    [InlineData("disable", Errno.EINVAL)]
    [InlineData("disable abc", Errno.EINVAL)]
    [InlineData("disable -1", Errno.EINVAL)]
    [InlineData("disable 4294967296", Errno.ERANGE)]
    [InlineData("disable 0x", Errno.EINVAL)]
    [InlineData("update KEY", Errno.EINVAL)]
    [InlineData("freeze\n", Errno.Ok)]
    [InlineData("freeze extra words", Errno.Ok)]
    [InlineData("disable 12345", Errno.ENOKEY)]
    [InlineData("disable 0", Errno.EINVAL)]
    [InlineData("update KEY 0", Errno.ENOKEY)]
    [InlineData("disable KEYHEX\n", Errno.Ok)]
    [InlineData("disable KEYOCT", Errno.Ok)]
    public void Command_text_is_parsed_like_the_kernel(string text, Errno expected)
    {
        var f = new NvdimmFixture();
        text = text.Replace("KEYHEX", $"0x{f.U:x}", StringComparison.Ordinal).Replace("KEYOCT", "0" + Convert.ToString(f.U, 8), StringComparison.Ordinal)
            .Replace("KEY", f.U.ToString(), StringComparison.Ordinal);
        Assert.Equal(expected, f.Dimm.SecurityStore(text));
    }

    [Fact]
    public void Scan_splits_over_long_tokens_at_the_field_width()
    {
        var tokens = Coherence.Kernel.Nvdimm.Nvdimm.Scan("disable 123456789012345", 32, 10, 10);
        Assert.Equal(["disable", "1234567890", "12345"], tokens);
        Assert.Single(Coherence.Kernel.Nvdimm.Nvdimm.Scan(new string('a', 32), 32, 10, 10));
        Assert.Equal(2, Coherence.Kernel.Nvdimm.Nvdimm.Scan(new string('a', 33), 32, 10, 10).Count);
    }

    [Fact]
    public void Keys_must_be_encrypted_and_32_bytes()
    {
        var f = new NvdimmFixture();
        var user = f.Bus.Keys.Add(KeyType.User, "user:x", KeyRing.Passphrase("user"));
        var shortKey = f.Bus.Keys.Add(KeyType.Encrypted, "enc:short", new byte[16]);
        Assert.Equal(Errno.ENOKEY, f.Dimm.SecurityStore($"disable {user}"));
        Assert.Equal(Errno.ENOKEY, f.Dimm.SecurityStore($"disable {shortKey}"));
        Assert.Equal(Errno.ENOKEY, f.Dimm.SecurityStore($"update {f.U} {user}"));
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"update {f.U} {f.N}"));
        Assert.Equal(Errno.EINVAL, f.Dimm.SecurityStore($"disable {f.U}"));
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"disable {f.N}"));
        Assert.Equal(NvdimmSecurityFlags.Disabled, f.Dimm.SecurityFlags);
    }

    [Fact]
    public void Read_only_attribute_gives_eacces()
    {
        var f = new NvdimmFixture();
        var readOnly = f.Bus.AddDimm("nmem2", "ro", new GetFlagsOnlyOps());
        Assert.False(readOnly.SecurityAttributeWritable);
        Assert.Equal(Errno.EACCES, readOnly.SecurityStore("freeze"));
    }

    private sealed class GetFlagsOnlyOps : INvdimmSecurityOps
    {
        public NvdimmSecurityOpKinds Provided => NvdimmSecurityOpKinds.GetFlags | NvdimmSecurityOpKinds.Unlock;

        public NvdimmSecurityFlags GetFlags(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, NvdimmPassphraseType type) => NvdimmSecurityFlags.Disabled;

        public Errno Freeze(Coherence.Kernel.Nvdimm.Nvdimm nvdimm) => throw new InvalidOperationException();

        public Errno Unlock(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key) => Errno.Ok;

        public Errno ChangeKey(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> oldKey, ReadOnlySpan<byte> newKey, NvdimmPassphraseType type) => throw new InvalidOperationException();

        public Errno Disable(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key) => throw new InvalidOperationException();

        public Errno DisableMaster(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key) => throw new InvalidOperationException();

        public Errno Erase(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key, NvdimmPassphraseType type) => throw new InvalidOperationException();

        public Errno Overwrite(Coherence.Kernel.Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key) => throw new InvalidOperationException();

        public Errno QueryOverwrite(Coherence.Kernel.Nvdimm.Nvdimm nvdimm) => throw new InvalidOperationException();
    }
}
