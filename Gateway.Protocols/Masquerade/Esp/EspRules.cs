using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade.Esp;

/// <summary>ESP, IP protocol 50: init serialization per remote host (DESIGN §3.3, HOWTO §6.2).</summary>
internal static class EspRules
{
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        uint inside = d.Source;
        if (d.Spi == 0)
            return b.Drop(DropReason.EspZeroSpi, ProtocolLabel.Esp, inside);
        ExpireOutstanding(b);
        var entry = b.Esp.FindOutbound(inside, d.Spi);
        if (entry is not null && !entry.IsOutstanding && b.Now - entry.LastSeen > b.Options.Esp.TableLifetime)
        {
            b.Emit(new EspEntryRemoved(b.Now, inside, d.Spi, RemovalCause.Expired));
            entry = null;
        }

        if (entry is null)
        {
            var refusal = RefuseInitialPacket(b, inside, d.Spi);
            if (refusal != DropReason.None)
                return b.Drop(refusal, ProtocolLabel.Esp, inside);
            b.Emit(new EspInitStarted(b.Now, inside, d.Spi));
        }
        else if (entry.IsOutstanding && entry.Collided)
        {
            // After a collision the holder may send InitRetries more packets without a reply; the next ends its turn.
            if (entry.RetriesSinceCollision >= b.Options.Esp.InitRetries)
            {
                b.Emit(new EspEntryRemoved(b.Now, inside, d.Spi, RemovalCause.TurnEnded));
                return b.Drop(DropReason.EspInitBlocked, ProtocolLabel.Esp, inside);
            }

            b.Emit(new EspInitRetried(b.Now, inside, d.Spi));
        }
        else
        {
            b.Saw(EspFlows.Of(entry));
        }

        return EspFlows.Translate(frame, d, Direction.Outbound, b.Remote, EspFlows.Outgoing(inside, d.Spi), b.PublicAddress);
    }

    /// <summary>Why a new (inside host, SPI) may not start now, or None.</summary>
    private static DropReason RefuseInitialPacket(PeerDecisionBuilder b, uint inside, uint spi)
    {
        var esp = b.Esp;
        var outstanding = esp.Outstanding;
        if (!b.Options.Esp.ParallelSessions && esp.HasEntryFromOtherHost(inside))
        {
            // Parallel sessions off: one inside host per remote; an outstanding other entry still queues us.
            if (outstanding is null || outstanding.Inside == inside)
                return DropReason.EspParallelRefused;
            b.Emit(new EspInitBlocked(b.Now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        if (outstanding is not null)
        {
            b.Emit(new EspInitBlocked(b.Now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        // Round-robin: while other hosts wait, only a waiting host takes the next turn, and never
        // the one whose turn just ended; a newcomer joins the queue. Hosts that stopped asking
        // (InitLifetime) no longer wait: they would otherwise block turns forever.
        // With parallel sessions off, a waiter that another host's entry would refuse cannot take a turn,
        // so it must not hold up that host's next SA (the reply lets "the next initial packet" proceed).
        var patience = b.Options.Esp.InitLifetime;
        bool othersWaiting = false;
        bool waiting = false;
        foreach (var w in esp.Waiting)
        {
            if (b.Now - w.Since > patience)
                continue;
            if (w.Inside == inside)
                waiting = true;
            else if (b.Options.Esp.ParallelSessions || !esp.HasEntryFromOtherHost(w.Inside))
                othersWaiting = true;
        }

        if (othersWaiting && (esp.TurnEndedHost == inside || !waiting))
        {
            b.Emit(new EspInitBlocked(b.Now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        return DropReason.None;
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        if (d.Spi == 0)
            return b.Drop(DropReason.EspZeroSpi, ProtocolLabel.Esp);
        ExpireOutstanding(b);
        if (b.Esp.FindInbound(d.Spi) is { } expired && b.Now - expired.LastSeen > b.Options.Esp.TableLifetime)
            b.Emit(new EspEntryRemoved(b.Now, expired.Inside, expired.OutboundSpi, RemovalCause.Expired));
        if (b.Esp.FindInbound(d.Spi) is { } entry)
        {
            var flow = EspFlows.Of(entry);
            b.Saw(flow);
            return EspFlows.Translate(frame, d, Direction.Inbound, b.Remote, flow, b.PublicAddress);
        }

        if (b.Esp.Outstanding is { } outstanding)
        {
            // An unknown SPI while an init is outstanding is its reply (HOWTO §6.2).
            b.Emit(new EspSpiAssociated(b.Now, outstanding.Inside, outstanding.OutboundSpi, d.Spi, Announced: false));
            return EspFlows.Translate(frame, d, Direction.Inbound, b.Remote, EspFlows.Incoming(outstanding.Inside, d.Spi), b.PublicAddress);
        }

        var rekeyers = LatestRekeyers(b);
        if (rekeyers.Count > 0)
            return FanOut(b, frame, d, rekeyers);
        if (b.Settings.FindProtocolForward(IpProtocol.Esp) is { } forward)
            return EspFlows.Translate(frame, d, Direction.Inbound, b.Remote, EspFlows.Incoming(forward.TargetAddress, d.Spi), b.PublicAddress);
        return b.Drop(DropReason.NoMapping, ProtocolLabel.Esp);
    }

    /// <summary>
    /// "The masqueraded host(s) who most recently rekeyed with that remote host" (HOWTO §6.2): the
    /// latest rekeyer, plus any other host whose rekey came within InitLifetime of it.
    /// </summary>
    private static List<uint> LatestRekeyers(PeerDecisionBuilder b)
    {
        var lastRekey = b.Esp.LastRekey;
        var hosts = new List<uint>();
        if (lastRekey.Count == 0)
            return hosts;
        var latest = lastRekey.Values.Max();
        foreach (var (host, at) in lastRekey)
        {
            if (latest - at <= b.Options.Esp.InitLifetime)
                hosts.Add(host);
        }

        hosts.Sort((x, y) => lastRekey[y].CompareTo(lastRekey[x]));
        return hosts;
    }

    /// <summary>Sends the frame to the first host in place and to the others as copies.</summary>
    private static Verdict FanOut(PeerDecisionBuilder b, byte[] frame, in Dissection d, List<uint> hosts)
    {
        List<OutputFrame>? extra = null;
        for (int i = 1; i < hosts.Count; i++)
        {
            var copy = frame.AsSpan(0, d.NetworkOffset + d.IpTotalLength).ToArray();
            PacketRewriter.SetDestinationAddress(copy.AsSpan(d.NetworkOffset, d.IpTotalLength), hosts[i]);
            (extra ??= []).Add(new OutputFrame(copy, Side.Inside));
        }

        var first = EspFlows.Translate(frame, d, Direction.Inbound, b.Remote, EspFlows.Incoming(hosts[0], d.Spi), b.PublicAddress);
        return first with { Extra = extra };
    }

    /// <summary>The outstanding entry past InitLifetime is removed: its host's turn is over.</summary>
    private static void ExpireOutstanding(PeerDecisionBuilder b)
    {
        if (b.Esp.Outstanding is { } outstanding && b.Now - outstanding.Created > b.Options.Esp.InitLifetime)
            b.Emit(new EspEntryRemoved(b.Now, outstanding.Inside, outstanding.OutboundSpi, RemovalCause.Expired));
    }

    /// <summary>Everything past its lifetime: the outstanding entry past InitLifetime, established ones past TableLifetime.</summary>
    public static void Sweep(PeerDecisionBuilder b)
    {
        ExpireOutstanding(b);
        foreach (var entry in b.Peer.Esp.Entries)
        {
            if (!entry.IsOutstanding && b.Now - entry.LastSeen > b.Options.Esp.TableLifetime)
                b.Emit(new EspEntryRemoved(b.Now, entry.Inside, entry.OutboundSpi, RemovalCause.Expired));
        }
    }

    public static void CloseAll(PeerDecisionBuilder b, RemovalCause cause)
    {
        foreach (var entry in b.Peer.Esp.Entries)
            b.Emit(new EspEntryRemoved(b.Now, entry.Inside, entry.OutboundSpi, cause));
    }

    /// <summary>An SA pair announced through the management API (HOWTO §6.2's "best solution").</summary>
    public static DropReason Announce(PeerDecisionBuilder b, uint inside, uint outboundSpi, uint inboundSpi)
    {
        if (outboundSpi == 0 || inboundSpi == 0)
            return DropReason.EspZeroSpi;
        if (b.Esp.FindInbound(inboundSpi) is { } taken && taken.Inside != inside)
            return DropReason.EspParallelRefused;
        if (b.Esp.Entries.Any(e => e.OutboundSpi == outboundSpi && e.Inside != inside))
            return DropReason.EspParallelRefused;
        b.Emit(new EspSpiAssociated(b.Now, inside, outboundSpi, inboundSpi, Announced: true));
        return DropReason.None;
    }
}
