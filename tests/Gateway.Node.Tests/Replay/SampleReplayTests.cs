using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Captures;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>
/// The sample captures in samples/ (written by scripts/make-samples.py) in, the expected events and frames out
/// (DESIGN §3, §5.2). Each sent frame is stated as a line of the fields a masquerade rewrites or must keep,
/// beside the index (from 0) of the input frame that caused it; the sent frame must carry that frame's
/// timestamp, valid checksums, and every other byte of it unchanged.
/// </summary>
public sealed class SampleReplayTests
{
    private static string Sample(string name) => Path.Combine(RepositoryPaths.Samples, name + ".pcap");

    private static void AssertSent(ReplayHarness replay, string sample, (int Input, string Frame)[] expected)
    {
        var input = CaptureFile.Read(Sample(sample));

        Assert.Equal(expected.Select(e => e.Frame), replay.Output.Select(SentFrames.Describe));
        for (int n = 0; n < expected.Length; n++)
        {
            var cause = input[expected[n].Input];
            string what = $"{sample}: sent frame {n} (input frame {cause.Index})";
            Assert.Equal(cause.TimestampSeconds, replay.OutputTimes[n], tolerance: 1e-6);
            SentFrames.AssertChecksumsValid(replay.Output[n], what);
            byte[] kept = SentFrames.WithRewritableFieldsZeroed(cause.Data), sent = SentFrames.WithRewritableFieldsZeroed(replay.Output[n]);
            int same = kept.AsSpan().CommonPrefixLength(sent);
            Assert.True(same == kept.Length && same == sent.Length, $"{what}: byte {same} is not the input's, and is no field a masquerade rewrites");
        }
    }

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
        AssertSent(replay, "esp-session",
        [
            (0, "200.200.200.200 > 199.0.0.1 esp spi=a0000001"),    // A's initial packet; B's (1) is blocked
            (2, "199.0.0.1 > 10.0.0.2 esp spi=5a000001"),           // the reply, associated with A
            (3, "200.200.200.200 > 199.0.0.1 esp spi=b0000001"),    // B's turn
            (4, "199.0.0.1 > 10.0.0.3 esp spi=5b000001"),           // the reply, associated with B
            (5, "200.200.200.200 > 199.0.0.1 esp spi=a0000001"),
            (6, "199.0.0.1 > 10.0.0.2 esp spi=5a000001"),
            (7, "199.0.0.1 > 10.0.0.3 esp spi=5b000001"),           // SPI 0 (8) is dropped
        ]);
    }

    [Fact]
    public void EspSession_ParallelSessionsOff_SecondHostIsRefused()
    {
        using var replay = new ReplayHarness().Run(Sample("esp-session"), ReplayHarness.Options(parallel: false));

        Assert.Equal("drop:esp-parallel-refused@10.0.0.3", Decisions(replay)[3]);
        AssertSent(replay, "esp-session",
        [
            (0, "200.200.200.200 > 199.0.0.1 esp spi=a0000001"),
            (2, "199.0.0.1 > 10.0.0.2 esp spi=5a000001"),

            // B never had an initial packet sent, so the server's unknown SPI, with nothing outstanding,
            // goes to A, the host that last rekeyed with it (§3.3).
            (4, "199.0.0.1 > 10.0.0.2 esp spi=5b000001"),
            (5, "200.200.200.200 > 199.0.0.1 esp spi=a0000001"),
            (6, "199.0.0.1 > 10.0.0.2 esp spi=5a000001"),
            (7, "199.0.0.1 > 10.0.0.2 esp spi=5b000001"),
        ]);
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

        // Both hosts keep source port 500 towards the server; cookies pass unchanged and route the replies.
        AssertSent(replay, "isakmp-exchange",
        [
            (0, "200.200.200.200:500 > 199.0.0.1:500 isakmp 1111111111111111/0000000000000000"),
            (1, "200.200.200.200:500 > 199.0.0.1:500 isakmp 2222222222222222/0000000000000000"),
            (2, "199.0.0.1:500 > 10.0.0.2:500 isakmp 1111111111111111/aaaaaaaaaaaaaaaa"),
            (3, "199.0.0.1:500 > 10.0.0.3:500 isakmp 2222222222222222/bbbbbbbbbbbbbbbb"),
            (4, "200.200.200.200:500 > 199.0.0.1:500 isakmp 1111111111111111/aaaaaaaaaaaaaaaa"),
        ]);
    }

    [Fact]
    public void PptpCall_ClientsWithTheSameCallId_GetDistinctOutsideCallIds_AndGreReturnsToTheCaller()
    {
        using var replay = new ReplayHarness().Run(Sample("pptp-call"), ReplayHarness.Options());

        Assert.All(Decisions(replay), d => Assert.StartsWith("forward", d));
        var gre = replay.Output.Select(f => FrameDissector.Dissect(LinkType.Ethernet, f)).Where(d => d.Kind == FrameKind.Gre).ToList();
        Assert.Equal(Ipv4Address.Parse("10.0.0.2"), gre.Last().Destination);
        Assert.Equal(7, gre.Last().GreCallId);

        // B's port 40001 is taken towards the server by A, so B gets another; A's Call ID 7 is free there and
        // kept, B's becomes 8. The server's own Call ID (900) passes unchanged both ways.
        AssertSent(replay, "pptp-call",
        [
            (0, "200.200.200.200:40001 > 199.0.0.1:1723 tcp"),
            (1, "200.200.200.200:40000 > 199.0.0.1:1723 tcp"),
            (2, "199.0.0.1:1723 > 10.0.0.2:40001 tcp"),
            (3, "200.200.200.200:40001 > 199.0.0.1:1723 tcp pptp StartControlConnectionRequest"),
            (4, "200.200.200.200:40000 > 199.0.0.1:1723 tcp pptp StartControlConnectionRequest"),
            (5, "200.200.200.200:40001 > 199.0.0.1:1723 tcp pptp OutgoingCallRequest call=7"),
            (6, "200.200.200.200:40000 > 199.0.0.1:1723 tcp pptp OutgoingCallRequest call=8"),
            (7, "199.0.0.1:1723 > 10.0.0.2:40001 tcp pptp OutgoingCallReply call=900 peer=7"),
            (8, "200.200.200.200 > 199.0.0.1 gre v1 call=900"),
            (9, "199.0.0.1 > 10.0.0.2 gre v1 call=7"),
        ]);
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
