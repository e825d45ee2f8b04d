using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tests.Masquerade.Hostile;
using Xunit.Abstractions;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Floods;

// Issue 10: floods of new flows towards the remote the bystanders' VPN sessions use (host C's SA and ISAKMP exchange,
// host D's PPTP call), at the default Masquerade:Limits. Each flood is held to EntriesPerPeer (4096 entries) or
// refused "no-mapping"; its verdicts are tallied; and the VPN sessions are never evicted: the limit takes idle plain
// mappings and unanswered exchanges, least recently used first, then the flood's own entries.
public sealed class NewFlowFloodTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);
    private static readonly int EntriesPerPeer = new LimitOptions().EntriesPerPeer;

    /// <summary>Host C's SA and exchange, host D's control connection and call, host E's UDP, TCP and ICMP mappings.</summary>
    private const int BystanderEntries = 7;

    private static int EntriesWithRemote(HostileRun run) => run.Target.Gateway.Peers[Remote].EntryCount;

    private static ulong Cookie(Random random) => (ulong)random.NextInt64(1, long.MaxValue);

    [Fact]
    public void UdpPortSweepFromInside_IsHeldToEntriesPerPeer_AndNeverEvictsTheVpnSessions()
    {
        const int Ports = 20_000;
        var run = new HostileRun();
        Assert.Equal(BystanderEntries, EntriesWithRemote(run));

        // 500 and 4500 are left out: UDP to them is ISAKMP or NAT-T, and a one-byte payload is not that.
        var ports = Enumerable.Range(1, Ports + 2).Where(port => port is not (500 or 4500));
        var tally = run.Flood(ports.Select(port => UdpFrame(Attacker, 6000, Remote, (ushort)port, [1])), Step);

        output.WriteLine($"UDP sweep of {Ports} ports: {tally}");
        Assert.Equal(Ports, tally["forward"]);
        Assert.Equal(EntriesPerPeer - BystanderEntries + 1, tally.FramesToLimit);
        Assert.Equal(Ports - (EntriesPerPeer - BystanderEntries), tally.Evictions);
        Assert.Equal(EntriesPerPeer, EntriesWithRemote(run));
        Assert.DoesNotContain(run.Target.Events, e => e is PptpCallUnmapped or EspEntryRemoved);
        run.AssertVpnSessionsUnaffected();
    }

    [Fact]
    public void IsakmpWithRandomCookiesFromOutside_IsHeldToEntriesPerPeer_AndNeverEvictsTheAnsweredExchange()
    {
        // Unknown cookies from the remote go to its latest ISAKMP speaker, host C, as a rekey would (DESIGN §3.2).
        const int Messages = 10_000;
        var random = new Random(10);
        var run = new HostileRun();

        var tally = run.Flood(Enumerable.Range(0, Messages).Select(_ => Ike.IsakmpIn(Cookie(random), 0, fromInitiator: true)), Step);

        output.WriteLine($"ISAKMP with random cookies from outside, {Messages} messages: {tally}");
        Assert.Equal(Messages, tally["forward"]);
        Assert.Equal(EntriesPerPeer - BystanderEntries + 1, tally.FramesToLimit);
        Assert.Equal(EntriesPerPeer, EntriesWithRemote(run));
        Assert.DoesNotContain(run.Target.Events, e => e is PptpCallUnmapped or EspEntryRemoved);
        run.AssertVpnSessionsUnaffected();
    }

    [Fact]
    public void IsakmpWithRandomCookiesFromInside_IsHeldToEntriesPerPeer_AndNeverEvictsTheAnsweredExchange()
    {
        const int Messages = 10_000;
        var random = new Random(11);
        var run = new HostileRun();

        var tally = run.Flood(Enumerable.Range(0, Messages).Select(_ => Ike.IsakmpOut(Attacker, Cookie(random))), Step);

        output.WriteLine($"ISAKMP with random cookies from inside, {Messages} messages: {tally}");
        Assert.Equal(Messages, tally["forward"]);
        Assert.Equal(EntriesPerPeer, EntriesWithRemote(run));
        run.AssertVpnSessionsUnaffected();
    }

    [Fact]
    public void GreWithRandomKeysFromOutside_IsNoMapping_AndHoldsNothing()
    {
        const int Packets = 10_000;
        var random = new Random(12);
        var run = new HostileRun();
        ushort taken = new BystanderFlows(GatewayUnderTest.Create()).OutsideCallId;
        var keys = Enumerable.Range(0, Packets).Select(_ => (ushort)random.Next(0, 0x10000)).Select(k => k == taken ? (ushort)(k + 1) : k);

        var tally = run.Flood(keys.Select(key => GreFrame(Remote, Public, key)).ToList(), Step);

        output.WriteLine($"GRE with random keys from outside, {Packets} packets: {tally}");
        Assert.Equal(Packets, tally["no-mapping"]);
        Assert.Null(tally.FramesToLimit);
        Assert.Equal(BystanderEntries, EntriesWithRemote(run));
        run.AssertVpnSessionsUnaffected();
    }

    // A dropped frame from a new source used to leave an empty PeerState until the next Sweep; with Peers 64, 938 of
    // 1,000 spoofed GRE packets were peer-limit, and host E's first packet to a new remote too.
    [Fact]
    public void GreFromSpoofedSources_ThatCreatesNoState_DoesNotUseUpThePeerLimit()
    {
        var run = new HostileRun(o => o with { Limits = new LimitOptions { Peers = 64 } });
        var sources = Enumerable.Range(0, 1000).Select(i => Ipv4Address.Parse("203.0.113.0") + (uint)i);

        var tally = run.Flood(sources.Select(source => GreFrame(source, Public, 0x0101)).ToList(), Step);
        var fresh = run.Hit(UdpFrame(BystanderFlows.HostE, 5002, Ipv4Address.Parse("198.18.0.1"), 53, [1]));

        Assert.Equal(1000, tally["no-mapping"]);
        fresh.AssertForwarded(Side.Outside);
    }
}
