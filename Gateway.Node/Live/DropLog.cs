using VpnMasq.Actors;
using Microsoft.Extensions.Logging;
using VpnMasq.Actors.Ingress;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// The log line of a dropped frame (DESIGN §3.1, §3.8), at Information in <c>VpnMasq.Drops</c>: the first of
/// each (peer, reason), then one every ten seconds with how many there were (a <see cref="LogThrottle{TKey}"/> by (peer, reason)). A line
/// names what the HOWTO's troubleshooting (§5.3, §6.1) asks of a log: direction, protocol, reason code, remote
/// peer, inside host when known, and what the reason means.
/// </summary>
internal sealed partial class DropLog(ILogger logger, LogThrottle<(uint Peer, DropReason Reason)> throttle)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public DropLog(ILoggerFactory loggers, TimeProvider clock)
        : this(loggers.CreateLogger(LogCategories.Drops), new LogThrottle<(uint Peer, DropReason Reason)>(clock, Interval))
    {
    }

    public void Dropped(in IngressDecision decision)
    {
        // Silenced (Logging:LogLevel:VpnMasq.Drops=Warning): not even the throttle's bookkeeping.
        if (!logger.IsEnabled(LogLevel.Information))
            return;
        var verdict = decision.Verdict;
        if (!throttle.ShouldLog((verdict.Peer, verdict.Reason), out long since, out bool tracked))
            return;
        Write(
            verdict.Reason.Code(),
            decision.Direction == Direction.Inbound ? "inbound" : "outbound",
            verdict.Protocol.Code(),
            Ipv4Address.Format(verdict.Peer),
            verdict.Inside == 0 ? "" : $" inside {Ipv4Address.Format(verdict.Inside)}",
            Meaning(verdict.Reason),
            Count(since, tracked, throttle.Capacity));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "drop {Reason}: {Direction} {Protocol} peer {Peer}{Inside}: {Meaning}{Count}")]
    private partial void Write(string reason, string direction, string protocol, string peer, string inside, string meaning, string count);

    private static string Count(long since, bool tracked, int capacity) => (since, tracked) switch
    {
        (_, false) => $" ({since} drops of peers beyond the {capacity} remembered since the last such line)",
        (1, true) => "",
        _ => $" ({since} such drops since the last line)",
    };

    /// <summary>What a reason means to whoever reads the log; the ESP ones in the HOWTO's own words (§6.2).</summary>
    public static string Meaning(DropReason reason) => reason switch
    {
        DropReason.NoMapping => "nothing inside expects it (no mapping, no forward)",
        DropReason.EspInitBlocked => "temporarily blocked: another initial ESP packet to this remote host is outstanding",
        DropReason.EspZeroSpi => "ESP with SPI 0 is invalid",
        DropReason.EspParallelRefused => "another inside host already has ESP with this remote host (Masquerade:Esp:ParallelSessions is off)",
        DropReason.IsakmpZeroCookie => "ISAKMP with a zero initiator cookie",
        DropReason.IsakmpCookieCollision => "ISAKMP initiator cookie collides with another inside host's outstanding exchange",
        DropReason.AhNotMasqueradable => "AH cannot be masqueraded: it authenticates the addresses masquerading changes",
        DropReason.RuleDeny => "refused by Masquerade:Rules (DENY)",
        DropReason.RuleReject => "refused by Masquerade:Rules (REJECT); an ICMP unreachable or TCP reset sent back",
        DropReason.PptpOutOfOrder => "PPTP control message out of order for its call",
        DropReason.PptpCallIdExhausted => "no free PPTP Call ID towards this server",
        DropReason.PortsExhausted => "no free public port towards this remote endpoint",
        DropReason.TableFull => "this peer's masquerade table is full (Masquerade:Limits)",
        DropReason.PeerLimit => "too many remote peers (Masquerade:Limits:Peers)",
        DropReason.OwnerUnavailable => "the peer's owner did not answer in time (Cluster:OwnerTimeout)",
        DropReason.TtlExceeded => "TTL exceeded; ICMP Time Exceeded sent back",
        DropReason.BadChecksum => "damaged: a header or transport checksum is wrong",
        DropReason.Malformed => "a header too short or inconsistent to parse",
        DropReason.FragmentTimeout => "fragments did not complete in time",
        DropReason.FragmentInvalid => "a fragment that cannot be reassembled or forwarded",
        DropReason.NotIpv4 => "not IPv4",
        DropReason.UnsupportedProtocol => "no masquerade table for this IP protocol, so its replies could never come back",
        DropReason.AddressChanged => "sent to the public address before it changed; its mappings closed then",
        DropReason.FragmentationNeeded => "larger than the outgoing link's MTU with DF set; ICMP Fragmentation Needed sent back",
        _ => reason.Code(),
    };
}
