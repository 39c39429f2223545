using Coherence.Native.Mapping;

namespace Coherence.Native.Tests.Mapping;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PersistentMappingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("coherence-native-").FullName;
    private readonly string shmFolder = Directory.CreateDirectory($"/dev/shm/coherence-native-{Guid.NewGuid():N}").FullName;

    public void Dispose()
    {
        foreach (var f in new[] { folder, shmFolder })
        {
            foreach (var file in Directory.GetFiles(f))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Directory.Delete(f, recursive: true);
        }
    }

    [Fact]
    public void Written_and_persisted_bytes_are_in_the_file_after_unmapping()
    {
        var path = Path.Combine(folder, "data.bin");
        var data = new byte[10_000];
        new Random(1).NextBytes(data);
        using (var map = PersistentMapping.Create(path, 16_384))
        {
            Assert.Equal(16_384, map.Length);
            map.Write(1234, data);
            map.Persist(1234, data.Length);
            Assert.Equal(data, map.Span.Slice(1234, data.Length).ToArray());
        }

        var file = File.ReadAllBytes(path);
        Assert.Equal(16_384, file.Length);
        Assert.Equal(data, file[1234..11234]);
        Assert.All(file[..1234], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_tmpfs_file_is_not_persistent_memory_and_says_it_uses_msync()
    {
        var path = Path.Combine(shmFolder, "volatile.bin");
        using var map = PersistentMapping.Create(path, 4096);
        Assert.Equal(MappingMode.Msync, map.Mode);
        Assert.False(map.IsPersistentMemory);
        Assert.Contains("MAP_SYNC refused", map.ModeReason, StringComparison.Ordinal);
        map.Span.Fill(9);
        map.Flush(0, 4096);
        map.Drain();
        Assert.All(File.ReadAllBytes(path), b => Assert.Equal(9, b));
    }

    [Fact]
    public void Msync_can_be_forced_and_the_mapping_is_shared_with_the_file()
    {
        var path = Path.Combine(folder, "shared.bin");
        File.WriteAllBytes(path, new byte[8192]);
        using var map = PersistentMapping.Open(path, trySynchronousFaults: false);
        Assert.Equal(MappingMode.Msync, map.Mode);
        Assert.Contains("not requested", map.ModeReason, StringComparison.Ordinal);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 100;
            stream.WriteByte(42);
        }

        Assert.Equal(42, map.Span[100]);
        map.Persist(0, 0);
        map.Persist(8191, 1);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(folder, "missing.bin");
        var e = Assert.Throws<FileNotFoundException>(() => PersistentMapping.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void A_read_only_file_is_named()
    {
        var path = Path.Combine(folder, "readonly.bin");
        File.WriteAllBytes(path, new byte[4096]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<UnauthorizedAccessException>(() => PersistentMapping.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_and_a_folder_are_named()
    {
        var path = Path.Combine(folder, "empty.bin");
        File.WriteAllBytes(path, []);
        Assert.Contains(path, Assert.Throws<IOException>(() => PersistentMapping.Open(path)).Message, StringComparison.Ordinal);
        Assert.Contains(folder, Assert.Throws<IOException>(() => PersistentMapping.Open(folder)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistentMapping.Create(path, 0));
    }

    [Theory]
    [InlineData(4000, 97, "length 97")]
    [InlineData(4097, 0, "offset 4097")]
    [InlineData(-1, 1, "offset -1")]
    [InlineData(0, -5, "length -5")]
    public void A_range_beyond_the_mapping_names_the_value_and_the_path(long offset, long length, string named)
    {
        var path = Path.Combine(folder, "small.bin");
        using var map = PersistentMapping.Create(path, 4096);
        var persist = Assert.Throws<ArgumentOutOfRangeException>(() => map.Persist(offset, length));
        Assert.Contains(named, persist.Message, StringComparison.Ordinal);
        Assert.Contains(path, persist.Message, StringComparison.Ordinal);
        Assert.Contains("4096 bytes", persist.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Flush(offset, length));
        if (length >= 0)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => map.Write(offset, new byte[length]));
        }
    }

    [Fact]
    public void The_readme_example_runs()
    {
        // README.md, "Native flushcache copy", with the path moved to tmpfs.
        using var log = PersistentMapping.Create(Path.Combine(shmFolder, "log.bin"), 1 << 20);
        var record = "hello, persistent world"u8;
        log.Write(0, record);
        log.Persist(0, record.Length);
        Assert.Equal(MappingMode.Msync, log.Mode);
        var copy = new byte[64];
        Coherence.Native.Copy.FlushCache.Persist(copy, record);
        Assert.Equal(record.ToArray(), log.Span[..record.Length].ToArray());
        Assert.Equal(record.ToArray(), copy[..record.Length]);
    }

    [Fact]
    public void A_disposed_mapping_refuses_access()
    {
        var map = PersistentMapping.Create(Path.Combine(folder, "gone.bin"), 4096);
        map.Dispose();
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => map.Address);
    }
}
