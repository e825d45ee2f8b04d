using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade;

// ESP, IP protocol 50: init serialization per remote host (DESIGN §3.3, HOWTO §6.2).
public sealed partial class PeerState
{
    private Verdict OutboundEsp(byte[] frame, in Dissection d, TimeSpan now)
    {
        uint inside = d.Source;
        if (d.Spi == 0)
            return Verdict.Drop(DropReason.EspZeroSpi, ProtocolLabel.Esp, Remote, inside);
        ExpireEsp(now);
        var entry = Esp.FindOutbound(inside, d.Spi);
        if (entry is not null && !entry.IsOutstanding && now - entry.LastSeen > Options.Esp.TableLifetime)
        {
            Emit(new EspEntryRemoved(now, inside, d.Spi, RemovalCause.Expired));
            entry = null;
        }

        if (entry is null)
        {
            var refusal = RefuseInitialPacket(inside, d.Spi, now);
            if (refusal != DropReason.None)
                return Verdict.Drop(refusal, ProtocolLabel.Esp, Remote, inside);
            Emit(new EspInitStarted(now, inside, d.Spi));
        }
        else if (entry.IsOutstanding && entry.Collided)
        {
            // After a collision the holder may send InitRetries more packets without a reply; the next ends its turn.
            if (entry.RetriesSinceCollision >= Options.Esp.InitRetries)
            {
                Emit(new EspEntryRemoved(now, inside, d.Spi, RemovalCause.TurnEnded));
                return Verdict.Drop(DropReason.EspInitBlocked, ProtocolLabel.Esp, Remote, inside);
            }

            Emit(new EspInitRetried(now, inside, d.Spi));
        }
        else
        {
            entry.LastSeen = now;
        }

        PacketRewriter.SetSourceAddress(Datagram(frame, d), PublicAddress);
        return Verdict.Send(ProtocolLabel.Esp, Remote, inside, Side.Outside);
    }

    /// <summary>Why a new (inside host, SPI) may not start now, or None.</summary>
    private DropReason RefuseInitialPacket(uint inside, uint spi, TimeSpan now)
    {
        var outstanding = Esp.Outstanding;
        if (!Options.Esp.ParallelSessions && Esp.HasEntryFromOtherHost(inside))
        {
            // Parallel sessions off: one inside host per remote; an outstanding other entry still queues us.
            if (outstanding is null || outstanding.Inside == inside)
                return DropReason.EspParallelRefused;
            Emit(new EspInitBlocked(now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        if (outstanding is not null)
        {
            Emit(new EspInitBlocked(now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        // Round-robin: while other hosts wait, only a waiting host takes the next turn, and never
        // the one whose turn just ended; a newcomer joins the queue.
        Esp.DropStaleWaiters(now, Options.Esp.InitLifetime);

        // With parallel sessions off, a waiter that another host's entry would refuse cannot take a turn,
        // so it must not hold up that host's next SA (the reply lets "the next initial packet" proceed).
        bool othersWaiting = Esp.Waiting.Any(w => w.Inside != inside
            && (Options.Esp.ParallelSessions || !Esp.HasEntryFromOtherHost(w.Inside)));
        if (othersWaiting && (Esp.TurnEndedHost == inside || !Esp.IsWaiting(inside)))
        {
            Emit(new EspInitBlocked(now, inside, spi));
            return DropReason.EspInitBlocked;
        }

        return DropReason.None;
    }

    private Verdict InboundEsp(byte[] frame, in Dissection d, TimeSpan now)
    {
        if (d.Spi == 0)
            return Verdict.Drop(DropReason.EspZeroSpi, ProtocolLabel.Esp, Remote);
        ExpireEsp(now);
        var datagram = Datagram(frame, d);
        if (Esp.FindInbound(d.Spi) is { } expired && now - expired.LastSeen > Options.Esp.TableLifetime)
            Emit(new EspEntryRemoved(now, expired.Inside, expired.OutboundSpi, RemovalCause.Expired));
        if (Esp.FindInbound(d.Spi) is { } entry)
        {
            entry.LastSeen = now;
            PacketRewriter.SetDestinationAddress(datagram, entry.Inside);
            return Verdict.Send(ProtocolLabel.Esp, Remote, entry.Inside, Side.Inside);
        }

        if (Esp.Outstanding is { } outstanding)
        {
            // An unknown SPI while an init is outstanding is its reply (HOWTO §6.2).
            Emit(new EspSpiAssociated(now, outstanding.Inside, outstanding.OutboundSpi, d.Spi, Announced: false));
            PacketRewriter.SetDestinationAddress(datagram, outstanding.Inside);
            return Verdict.Send(ProtocolLabel.Esp, Remote, outstanding.Inside, Side.Inside);
        }

        var rekeyers = LatestRekeyers();
        if (rekeyers.Count > 0)
            return FanOut(frame, d, rekeyers, ProtocolLabel.Esp);
        if (_settings.FindProtocolForward(IpProtocol.Esp) is { } forward)
        {
            PacketRewriter.SetDestinationAddress(datagram, forward.TargetAddress);
            return Verdict.Send(ProtocolLabel.Esp, Remote, forward.TargetAddress, Side.Inside);
        }

        return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Esp, Remote);
    }

    /// <summary>
    /// "The masqueraded host(s) who most recently rekeyed with that remote host" (HOWTO §6.2): the
    /// latest rekeyer, plus any other host whose rekey came within InitLifetime of it.
    /// </summary>
    private List<uint> LatestRekeyers()
    {
        var hosts = new List<uint>();
        if (Esp.LastRekey.Count == 0)
            return hosts;
        var latest = Esp.LastRekey.Values.Max();
        foreach (var (host, at) in Esp.LastRekey)
        {
            if (latest - at <= Options.Esp.InitLifetime)
                hosts.Add(host);
        }

        hosts.Sort((a, b) => Esp.LastRekey[b].CompareTo(Esp.LastRekey[a]));
        return hosts;
    }

    /// <summary>Sends the frame to the first host in place and to the others as copies.</summary>
    private Verdict FanOut(byte[] frame, in Dissection d, List<uint> hosts, ProtocolLabel label)
    {
        List<OutputFrame>? extra = null;
        for (int i = 1; i < hosts.Count; i++)
        {
            var copy = frame.AsSpan(0, d.NetworkOffset + d.IpTotalLength).ToArray();
            PacketRewriter.SetDestinationAddress(copy.AsSpan(d.NetworkOffset, d.IpTotalLength), hosts[i]);
            (extra ??= []).Add(new OutputFrame(copy, Side.Inside));
        }

        PacketRewriter.SetDestinationAddress(Datagram(frame, d), hosts[0]);
        return Verdict.Send(label, Remote, hosts[0], Side.Inside) with { Extra = extra };
    }

    /// <summary>Removes the outstanding entry past InitLifetime and established entries past TableLifetime.</summary>
    private void ExpireEsp(TimeSpan now)
    {
        if (Esp.Outstanding is { } outstanding && now - outstanding.Created > Options.Esp.InitLifetime)
            Emit(new EspEntryRemoved(now, outstanding.Inside, outstanding.OutboundSpi, RemovalCause.Expired));
    }

    /// <summary>An SA pair announced through the management API (HOWTO §6.2's "best solution").</summary>
    public DropReason Announce(uint inside, uint outboundSpi, uint inboundSpi, TimeSpan now, List<PeerEvent> events)
    {
        if (outboundSpi == 0 || inboundSpi == 0)
            return DropReason.EspZeroSpi;
        if (Esp.FindInbound(inboundSpi) is { } taken && taken.Inside != inside)
            return DropReason.EspParallelRefused;
        if (Esp.Entries.Any(e => e.OutboundSpi == outboundSpi && e.Inside != inside))
            return DropReason.EspParallelRefused;
        _events = events;
        try
        {
            Emit(new EspSpiAssociated(now, inside, outboundSpi, inboundSpi, Announced: true));
        }
        finally
        {
            _events = null;
        }

        return DropReason.None;
    }
}
