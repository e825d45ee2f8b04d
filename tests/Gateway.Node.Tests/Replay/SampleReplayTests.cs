using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Tests.Replay;

public sealed class SampleReplayTests
{
    private static string Sample(string name) => Path.Combine(RepositoryPaths.Samples, name + ".pcap");

    private static string[] Decisions(ReplayHarness replay) =>
        replay.Events.Select(e => e.GetProperty("action").GetString() + (e.TryGetProperty("reason", out var r) ? ":" + r.GetString() : "")
                                  + (e.TryGetProperty("inside", out var i) ? "@" + i.GetString() : "")).ToArray();

    [Fact]
    public void EspSession_SecondHostWaitsForTheFirstReply_ThenBothAreRouted()
    {
        using var replay = new ReplayHarness().Run(Sample("esp-session"), ReplayHarness.Options(parallel: true));

        Assert.Equal(
            ["forward@10.0.0.2", "drop:esp-init-blocked@10.0.0.3", "forward@10.0.0.2", "forward@10.0.0.3", "forward@10.0.0.3",
             "forward@10.0.0.2", "forward@10.0.0.2", "forward@10.0.0.3", "drop:esp-zero-spi@10.0.0.2"],
            Decisions(replay));
        Assert.Equal(7, replay.Output.Count);
    }

    [Fact]
    public void EspSession_ParallelSessionsOff_SecondHostIsRefused()
    {
        using var replay = new ReplayHarness().Run(Sample("esp-session"), ReplayHarness.Options(parallel: false));

        Assert.Equal("drop:esp-parallel-refused@10.0.0.3", Decisions(replay)[3]);
    }

    [Fact]
    public void IsakmpExchange_RepliesRoutedByCookies_WrongResponderCookieAndZeroCookieAndAhDropped()
    {
        using var replay = new ReplayHarness().Run(Sample("isakmp-exchange"), ReplayHarness.Options());

        Assert.Equal(
            ["forward@10.0.0.2", "forward@10.0.0.3", "forward@10.0.0.2", "forward@10.0.0.3", "forward@10.0.0.2",
             "drop:no-mapping", "drop:isakmp-zero-cookie@10.0.0.3", "drop:ah-not-masqueradable@10.0.0.2"],
            Decisions(replay));
        var sent = replay.Output.Select(f => FrameDissector.Dissect(LinkType.Ethernet, f)).ToList();
        Assert.All(sent.Where(d => d.Destination == Ipv4Address.Parse("199.0.0.1")), d => Assert.Equal(500, d.SourcePort));
    }

    [Fact]
    public void PptpCall_ClientsWithTheSameCallId_GetDistinctOutsideCallIds_AndGreReturnsToTheCaller()
    {
        using var replay = new ReplayHarness().Run(Sample("pptp-call"), ReplayHarness.Options());

        Assert.All(Decisions(replay), d => Assert.StartsWith("forward", d));
        var gre = replay.Output.Select(f => FrameDissector.Dissect(LinkType.Ethernet, f)).Where(d => d.Kind == FrameKind.Gre).ToList();
        Assert.Equal(Ipv4Address.Parse("10.0.0.2"), gre.Last().Destination);
        Assert.Equal(7, gre.Last().GreCallId);
    }

    [Theory]
    [InlineData("esp-session")]
    [InlineData("isakmp-exchange")]
    [InlineData("pptp-call")]
    public void EveryEmittedFrame_HasValidIpv4AndTransportChecksums(string sample)
    {
        using var replay = new ReplayHarness().Run(Sample(sample), ReplayHarness.Options(parallel: true));

        Assert.NotEmpty(replay.Output);
        Assert.All(replay.Output, frame => Assert.True(TransportChecksum.IsValid(frame.AsSpan(EthernetHeader.UntaggedLength))));
    }

    [Fact]
    public void EventLines_CarryTheContractFields()
    {
        using var replay = new ReplayHarness().Run(Sample("esp-session"), ReplayHarness.Options());

        var first = replay.Events[0];
        Assert.Equal(1700000000.0, first.GetProperty("time").GetDouble());
        Assert.Equal("out", first.GetProperty("dir").GetString());
        Assert.Equal("esp", first.GetProperty("proto").GetString());
        Assert.Equal("199.0.0.1", first.GetProperty("peer").GetString());
        Assert.Equal("in", replay.Events[2].GetProperty("dir").GetString());
    }
}
