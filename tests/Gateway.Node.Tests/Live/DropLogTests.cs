using VpnMasq.Actors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using VpnMasq.Actors.Ingress;
using VpnMasq.Node.Live;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Tests.Live;

public sealed class DropLogTests
{
    private static readonly uint Remote = Ipv4Address.Parse("199.0.0.1");
    private static readonly uint Client = Ipv4Address.Parse("10.0.0.3");
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogger _logger = new();

    private DropLog Log() => new(_logger, new LogThrottle<(uint Peer, DropReason Reason)>(_clock, DropLog.Interval));

    private static IngressDecision Drop(DropReason reason, ProtocolLabel protocol, Direction direction, uint inside = 0) =>
        new(Verdict.Drop(reason, protocol, Remote, inside), direction, DecisionSource.Front, null);

    [Fact]
    public void NoMapping_IsLoggedAtInformation_WithDirectionProtocolReasonAndPeer()
    {
        Log().Dropped(Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound));

        var line = _logger.LatestRecord;
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("drop no-mapping: inbound udp peer 199.0.0.1: nothing inside expects it (no mapping, no forward)", line.Message);
    }

    [Fact]
    public void EspInitBlocked_NamesTheInsideHost_AndSaysTemporarilyBlocked()
    {
        Log().Dropped(Drop(DropReason.EspInitBlocked, ProtocolLabel.Esp, Direction.Outbound, Client));

        Assert.Equal(
            "drop esp-init-blocked: outbound esp peer 199.0.0.1 inside 10.0.0.3: temporarily blocked: another initial ESP packet to this remote host is outstanding",
            _logger.LatestRecord.Message);
    }

    [Fact]
    public void IdenticalDrops_WithinTheInterval_AreOneLine()
    {
        var log = Log();
        for (int i = 0; i < 5; i++)
            log.Dropped(Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound));

        Assert.Equal(1, _logger.Collector.Count);
    }

    [Fact]
    public void LineAfterTheInterval_SaysHowManyDropsItStandsFor()
    {
        var log = Log();
        for (int i = 0; i < 3; i++)
            log.Dropped(Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound));
        _clock.Advance(DropLog.Interval);

        log.Dropped(Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound));

        Assert.Equal(2, _logger.Collector.Count);
        Assert.EndsWith("(3 such drops since the last line)", _logger.LatestRecord.Message);
    }

    [Fact]
    public void DropsCategoryBelowInformation_WritesNothing()
    {
        _logger.ControlLevel(LogLevel.Information, enabled: false);

        Log().Dropped(Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound));

        Assert.Equal(0, _logger.Collector.Count);
    }

    [Fact]
    public void ThrottledDrop_AllocatesNothing()
    {
        var log = Log();
        var drop = Drop(DropReason.NoMapping, ProtocolLabel.Udp, Direction.Inbound, Client);
        log.Dropped(drop); // the line, and the pair's entry
        log.Dropped(drop); // every method on the throttled path compiled

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            log.Dropped(drop);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1, _logger.Collector.Count);
    }

    [Theory]
    [InlineData(DropReason.EspInitBlocked, "temporarily blocked")]
    [InlineData(DropReason.AhNotMasqueradable, "AH cannot be masqueraded")]
    [InlineData(DropReason.IsakmpZeroCookie, "zero initiator cookie")]
    public void Meaning_OfTheHowtosTroubleshootingReasons_IsInItsWords(DropReason reason, string words)
    {
        Assert.Contains(words, DropLog.Meaning(reason));
    }

    [Fact]
    public void EveryReason_HasAMeaningOtherThanItsCode()
    {
        var bare = Enum.GetValues<DropReason>().Where(r => r != DropReason.None && DropLog.Meaning(r) == r.Code());

        Assert.Empty(bare);
    }
}
