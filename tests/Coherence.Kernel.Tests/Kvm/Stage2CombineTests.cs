using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>
/// Stage-2 decoding and stage 1 × stage 2 combination, exhaustively. The expected values are derived here without
/// the code's restrictiveness ranks: without FWB by combining the architectural properties (any Device wins, the
/// G/R/E permissions of the Device types are ANDed, Normal cacheability takes the weaker), with FWB from the
/// spec's table written out cell by cell.
/// </summary>
public class Stage2CombineTests
{
    private static readonly Arm64MemoryType WB = Arm64MemoryType.NormalWB;
    private static readonly Arm64MemoryType WT = Arm64MemoryType.NormalWT;
    private static readonly Arm64MemoryType NC = Arm64MemoryType.NormalNC;
    private static readonly Arm64MemoryType GRE = Arm64MemoryType.DeviceGRE;
    private static readonly Arm64MemoryType NGRE = Arm64MemoryType.DeviceNGRE;
    private static readonly Arm64MemoryType NGNRE = Arm64MemoryType.DeviceNGnRE;
    private static readonly Arm64MemoryType NGNRNE = Arm64MemoryType.DeviceNGnRnE;

    /// <summary>Non-FWB MemAttr decoding: outer [3:2], inner [1:0]; outer 00 is Device by [1:0].</summary>
    private static readonly Dictionary<int, Arm64MemoryType> NonFwbDecode = new()
    {
        [0b0000] = NGNRNE,
        [0b0001] = NGNRE,
        [0b0010] = NGRE,
        [0b0011] = GRE,
        [0b0101] = NC,
        [0b1010] = WT,
        [0b1111] = WB,
    };

    /// <summary>FWB MemAttr decoding of the Device and NC encodings.</summary>
    private static readonly Dictionary<int, Arm64MemoryType> FwbDecode = new()
    {
        [0b000] = NGNRNE,
        [0b001] = NGNRE,
        [0b010] = NGRE,
        [0b011] = GRE,
        [0b101] = NC,
    };

    [Fact]
    public void Non_fwb_decoding_of_all_sixteen_values()
    {
        for (int v = 0; v < 16; v++)
        {
            var a = new Stage2MemAttr((byte)v, false);
            bool known = NonFwbDecode.TryGetValue(v, out var type);
            Assert.Equal(known ? type : null, a.Type);
            Assert.Equal(!known, a.Kind == Stage2AttrKind.Reserved);
            if (known)
            {
                Assert.Equal(type.IsDevice() ? Stage2AttrKind.Device : Stage2AttrKind.Normal, a.Kind);
            }
        }
    }

    [Fact]
    public void Fwb_decoding_of_all_sixteen_values()
    {
        for (int v = 0; v < 16; v++)
        {
            var a = new Stage2MemAttr((byte)v, true);
            var expectedKind = v switch
            {
                6 => Stage2AttrKind.ForceWriteBack,
                7 => Stage2AttrKind.AsStage1,
                5 => Stage2AttrKind.Normal,
                < 4 => Stage2AttrKind.Device,
                _ => Stage2AttrKind.Reserved,
            };
            Assert.Equal(expectedKind, a.Kind);
            Assert.Equal(FwbDecode.TryGetValue(v, out var t) ? t : null, a.Type);
        }
    }

    [Fact]
    public void Kernel_constants_have_the_spec_encodings()
    {
        Assert.Equal(new Stage2MemAttr(0xF, false), Stage2MemAttr.Normal);
        Assert.Equal(new Stage2MemAttr(0x5, false), Stage2MemAttr.NormalNC);
        Assert.Equal(new Stage2MemAttr(0x1, false), Stage2MemAttr.DeviceNGnRE);
        Assert.Equal(new Stage2MemAttr(6, true), Stage2MemAttr.FwbNormal);
        Assert.Equal(new Stage2MemAttr(5, true), Stage2MemAttr.FwbNormalNC);
        Assert.Equal(new Stage2MemAttr(1, true), Stage2MemAttr.FwbDeviceNGnRE);
        Assert.Equal(new Stage2MemAttr(7, true), Stage2MemAttr.FwbAsS1);
        Assert.Equal("MT_S2_FWB_NORMAL", Stage2MemAttr.FwbNormal.KernelName);
        Assert.Equal(WB, Stage2MemAttr.Normal.Type);
        Assert.Equal(NGNRE, Stage2MemAttr.FwbDeviceNGnRE.Type);
    }

    [Fact]
    public void Encodings_are_exactly_the_non_reserved_values()
    {
        Assert.Equal(NonFwbDecode.Keys.Order(), Arm64Stage2.Encodings(false).Select(e => (int)e.Value));
        Assert.Equal([0, 1, 2, 3, 5, 6, 7], Arm64Stage2.Encodings(true).Select(e => (int)e.Value));
        Assert.All(Arm64Stage2.Encodings(true), e => Assert.True(e.Fwb));
        Assert.All(Arm64Stage2.Encodings(false), e => Assert.False(e.Fwb));
    }

    /// <summary>The more restrictive type, from the properties alone.</summary>
    private static Arm64MemoryType ByProperties(Arm64MemoryType a, Arm64MemoryType b)
    {
        if (a.IsDevice() || b.IsDevice())
        {
            bool g = (!a.IsDevice() || a.AllowsGathering()) && (!b.IsDevice() || b.AllowsGathering());
            bool r = (!a.IsDevice() || a.AllowsReordering()) && (!b.IsDevice() || b.AllowsReordering());
            bool e = (!a.IsDevice() || a.AllowsEarlyWriteAck()) && (!b.IsDevice() || b.AllowsEarlyWriteAck());
            return Enum.GetValues<Arm64MemoryType>().Single(t =>
                t.IsDevice() && t.AllowsGathering() == g && t.AllowsReordering() == r && t.AllowsEarlyWriteAck() == e);
        }

        var c = (Arm64Cacheability)Math.Min((int)a.Cacheability(), (int)b.Cacheability());
        return Enum.GetValues<Arm64MemoryType>().Single(t => t.IsNormal() && t.Cacheability() == c);
    }

    [Fact]
    public void Without_fwb_the_more_restrictive_wins_for_every_combination()
    {
        int cells = 0;
        foreach (var s1 in Enum.GetValues<Arm64MemoryType>())
        {
            foreach (var (value, s2) in NonFwbDecode)
            {
                var expected = ByProperties(s1, s2);
                Assert.Equal(expected, Arm64Stage2.Combine(s1, new Stage2MemAttr((byte)value, false)));
                Assert.Equal(expected, Arm64MemoryTypes.MoreRestrictive(s1, s2));
                Assert.Equal(expected, Arm64MemoryTypes.MoreRestrictive(s2, s1));
                cells++;
            }
        }

        Assert.Equal(7 * 7, cells);
    }

    [Fact]
    public void Without_fwb_the_kernel_encodings_behave_as_the_spec_says()
    {
        foreach (var s1 in Enum.GetValues<Arm64MemoryType>())
        {
            // S2=0xF lets the guest choose anything.
            Assert.Equal(s1, Arm64Stage2.Combine(s1, Stage2MemAttr.Normal));

            // S2=NC: Device-* or NC, never cacheable.
            var nc = Arm64Stage2.Combine(s1, Stage2MemAttr.NormalNC);
            Assert.False(nc.IsCacheable());
            Assert.Equal(s1.IsDevice() ? s1 : NC, nc);

            // S2=Device-nGnRE gives nGnRE, or nGnRnE if the guest asks for it.
            Assert.Equal(s1 == NGNRNE ? NGNRNE : NGNRE, Arm64Stage2.Combine(s1, Stage2MemAttr.DeviceNGnRE));
        }
    }

    /// <summary>FWB: the spec's table, written out. Columns: MemAttr 0, 1, 2, 3, 5, 6, 7.</summary>
    public static TheoryData<Arm64MemoryType, Arm64MemoryType[]> FwbRows => new()
    {
        { WB, [NGNRNE, NGNRE, NGRE, GRE, NC, WB, WB] },
        { WT, [NGNRNE, NGNRE, NGRE, GRE, NC, WB, WT] },
        { NC, [NGNRNE, NGNRE, NGRE, GRE, NC, WB, NC] },
        { GRE, [NGNRNE, NGNRE, NGRE, GRE, GRE, WB, GRE] },
        { NGRE, [NGNRNE, NGNRE, NGRE, NGRE, NGRE, WB, NGRE] },
        { NGNRE, [NGNRNE, NGNRE, NGNRE, NGNRE, NGNRE, WB, NGNRE] },
        { NGNRNE, [NGNRNE, NGNRNE, NGNRNE, NGNRNE, NGNRNE, WB, NGNRNE] },
    };

    [Theory]
    [MemberData(nameof(FwbRows))]
    public void With_fwb_every_combination_matches_the_spec_table(Arm64MemoryType s1, Arm64MemoryType[] row)
    {
        byte[] columns = [0, 1, 2, 3, 5, 6, 7];
        for (int i = 0; i < columns.Length; i++)
        {
            Assert.Equal(row[i], Arm64Stage2.Combine(s1, new Stage2MemAttr(columns[i], true)));
        }
    }

    [Fact]
    public void Forced_write_back_ignores_even_a_device_stage_1()
    {
        Assert.All(Enum.GetValues<Arm64MemoryType>(), s1 => Assert.Equal(WB, Arm64Stage2.Combine(s1, Stage2MemAttr.FwbNormal)));
    }

    [Fact]
    public void Reserved_encodings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Arm64Stage2.Combine(WB, new Stage2MemAttr(4, true)));
        Assert.Throws<ArgumentException>(() => Arm64Stage2.Combine(WB, new Stage2MemAttr(0x4, false)));
        Assert.Throws<ArgumentException>(() => Arm64Stage2.Combine(WB, new Stage2MemAttr(0x7, false)));
    }
}
