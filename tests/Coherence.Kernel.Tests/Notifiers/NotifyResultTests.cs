using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;

namespace Coherence.Kernel.Tests.Notifiers;

public class NotifyResultTests
{
    [Fact]
    public void Constants_are_notifier_h()
    {
        Assert.Equal(0x0, NotifyResult.Done);
        Assert.Equal(0x1, NotifyResult.Ok);
        Assert.Equal(0x8000, NotifyResult.StopMask);
        Assert.Equal(0x8002, NotifyResult.Bad);
        Assert.Equal(0x8001, NotifyResult.Stop);
    }

    [Theory]
    [InlineData(NotifyResult.Done, Errno.Ok)]
    [InlineData(NotifyResult.Ok, Errno.Ok)]
    [InlineData(NotifyResult.Stop, Errno.Ok)]
    [InlineData(NotifyResult.StopMask, Errno.Ok)]
    [InlineData(NotifyResult.Bad, Errno.EPERM)]
    public void To_errno_of_the_constants(int ret, Errno expected) => Assert.Equal(expected, NotifyResult.ToErrno(ret));

    [Fact]
    public void From_errno_round_trips_for_every_errno_up_to_4095()
    {
        Assert.Equal(NotifyResult.Ok, NotifyResult.FromErrno(Errno.Ok));
        for (var e = 1; e < 4096; e++)
        {
            var r = NotifyResult.FromErrno((Errno)e);
            Assert.NotEqual(0, r & NotifyResult.StopMask);
            Assert.Equal((Errno)e, NotifyResult.ToErrno(r));
        }
        Assert.Equal(0x8000 | 23, NotifyResult.FromErrno(Errno.EINVAL));
    }

    [Fact]
    public void Names()
    {
        Assert.Equal("NOTIFY_STOP", NotifyResult.Name(NotifyResult.Stop));
        Assert.Equal("0x8017", NotifyResult.Name(NotifyResult.FromErrno(Errno.EINVAL)));
    }
}
