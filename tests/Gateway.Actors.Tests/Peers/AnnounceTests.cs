using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §3.3: an SA pair announced through the management API is an association like one learned from
// traffic: journaled, so it survives a failover, and refused when it would take another host's SPI.
public sealed class AnnounceTests : PeerActorTestKit
{
    private static readonly TimeSpan At = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AnnouncedSa_IsJournaled_AndRoutesInboundEspAfterARestart()
    {
        var peer = StartPeer(CreateTestProbe());

        var result = await peer.Ask<AnnounceResult>(new AnnounceSa(Remote, InsideA, 0x1111, 0x2222, At), Timeout);

        Assert.Equal(DropReason.None, result.Refusal);
        var journaled = Assert.Single(await Persistence.EventsAsync(PersistenceId));
        Assert.Equal(new EspSpiAssociated(At, InsideA, 0x1111, 0x2222, Announced: true), journaled.Event);
        await StopAsync(peer);
        var restarted = StartPeer(CreateTestProbe());
        var row = Assert.Single((await TableAsync(restarted)).Table.Esp);
        Assert.Equal((InsideA, 0x1111u, 0x2222u, true, false), (row.Inside, row.OutboundSpi, row.InboundSpi, row.Announced, row.Outstanding));
        var inbound = await DecideAsync(restarted, new(EspFrame(Remote, Public, 0x2222), Direction.Inbound, TimeSpan.FromSeconds(2)));
        Assert.Equal((VerdictAction.Forward, InsideA), (inbound.Verdict.Action, inbound.Verdict.Inside));
        Assert.Equal(InsideA, Dissect(inbound.Frame).Destination);
    }

    [Theory]
    [InlineData(0x3333u, 0x2222u)] // A's inbound SPI
    [InlineData(0x1111u, 0x4444u)] // A's outbound SPI
    public async Task AnnounceSa_TakingAnotherHostsSpi_IsRefused_AndNotJournaled(uint outboundSpi, uint inboundSpi)
    {
        var peer = StartPeer(CreateTestProbe());
        await peer.Ask<AnnounceResult>(new AnnounceSa(Remote, InsideA, 0x1111, 0x2222, At), Timeout);
        var before = await TableAsync(peer);

        var result = await peer.Ask<AnnounceResult>(new AnnounceSa(Remote, InsideB, outboundSpi, inboundSpi, At + At), Timeout);

        Assert.Equal(DropReason.EspParallelRefused, result.Refusal);
        Assert.Single(await Persistence.EventsAsync(PersistenceId));
        var after = await TableAsync(peer);
        Assert.Equal(before.Table, after.Table);
        Assert.Equal(1, after.LastSequenceNr);
    }
}
