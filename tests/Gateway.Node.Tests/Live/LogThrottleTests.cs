using Microsoft.Extensions.Time.Testing;
using VpnMasq.Actors;
using VpnMasq.Node.Live;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Tests.Live;

public sealed class LogThrottleTests
{
    private const uint Peer = 0xC7000001; // 199.0.0.1
    private const uint OtherPeer = 0xC7000002;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void FirstDrop_OfAPeerAndReason_IsLogged_StandingForItselfAlone()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval);

        Assert.True(throttle.ShouldLog((Peer, DropReason.NoMapping), out long since, out bool tracked));
        Assert.Equal(1, since);
        Assert.True(tracked);
    }

    [Fact]
    public void RepeatedDrops_WithinTheInterval_AreNotLogged()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval);
        throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _);

        for (int i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _));
        }
    }

    [Fact]
    public void NextDropAfterTheInterval_IsLogged_CountingThoseHeldBack()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval);
        throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _);
        for (int i = 0; i < 4; i++)
            throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _);

        _clock.Advance(Interval);

        Assert.True(throttle.ShouldLog((Peer, DropReason.NoMapping), out long since, out _));
        Assert.Equal(5, since); // four held back, and this one
    }

    [Fact]
    public void AnotherReason_ForTheSamePeer_IsLoggedAtOnce()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval);
        throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _);

        Assert.True(throttle.ShouldLog((Peer, DropReason.EspInitBlocked), out _, out _));
    }

    [Fact]
    public void AnotherPeer_WithTheSameReason_IsLoggedAtOnce()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval);
        throttle.ShouldLog((Peer, DropReason.NoMapping), out _, out _);

        Assert.True(throttle.ShouldLog((OtherPeer, DropReason.NoMapping), out _, out _));
    }

    [Fact]
    public void FullTable_DropsOfNewPeers_ShareOneThrottledLine()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval, capacity: 2);
        throttle.ShouldLog((1, DropReason.NoMapping), out _, out _);
        throttle.ShouldLog((2, DropReason.NoMapping), out _, out _);

        Assert.True(throttle.ShouldLog((3, DropReason.NoMapping), out _, out bool tracked));
        Assert.False(tracked);
        Assert.False(throttle.ShouldLog((4, DropReason.NoMapping), out _, out _));
        Assert.False(throttle.ShouldLog((5, DropReason.RuleDeny), out _, out _));
    }

    [Fact]
    public void FullTable_PairsKeepTheirOwnThrottle()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval, capacity: 1);
        throttle.ShouldLog((1, DropReason.NoMapping), out _, out _);
        throttle.ShouldLog((2, DropReason.NoMapping), out _, out _); // untracked, and logged as such

        Assert.False(throttle.ShouldLog((1, DropReason.NoMapping), out _, out _));
    }

    [Fact]
    public void FullTable_AfterAQuietInterval_ForgetsQuietPairs_AndTracksNewOnes()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval, capacity: 2);
        throttle.ShouldLog((1, DropReason.NoMapping), out _, out _);
        throttle.ShouldLog((2, DropReason.NoMapping), out _, out _);

        _clock.Advance(Interval);

        Assert.True(throttle.ShouldLog((3, DropReason.NoMapping), out long since, out bool tracked));
        Assert.True(tracked);
        Assert.Equal(1, since);
    }

    [Fact]
    public void Flood_OfDistinctPeers_NeverTracksMoreThanTheCapacity()
    {
        var throttle = new LogThrottle<(uint, DropReason)>(_clock, Interval, capacity: 100);
        int tracked = 0;
        for (uint peer = 1; peer <= 10_000; peer++)
        {
            if (throttle.ShouldLog((peer, DropReason.NoMapping), out _, out bool isTracked) && isTracked)
                tracked++;
        }

        Assert.Equal(100, tracked);
    }
}
