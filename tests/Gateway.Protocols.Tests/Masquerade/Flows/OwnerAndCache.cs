using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Flows;

/// <summary>
/// A peer's owner and one node's flow cache (DESIGN §1). Frames sent through <see cref="Gateway"/> build the
/// owner's table; <see cref="Publish"/> hands the owner's established flows to <see cref="Cache"/>, as the owner
/// does after every change; then the next frame of a flow can be decided by both and compared.
/// </summary>
internal sealed class OwnerAndCache(GatewayUnderTest gateway)
{
    public OwnerAndCache()
        : this(GatewayUnderTest.Create())
    {
    }

    public GatewayUnderTest Gateway { get; } = gateway;
    public FlowIndex Cache { get; } = new();
    public PeerState Owner => Gateway.Gateway.Peers[Remote];

    /// <summary>Sends a frame through the gateway and asserts it was forwarded; returns what was sent.</summary>
    public byte[] Establish(byte[] frame)
    {
        var outcome = Gateway.Send(frame);
        Assert.Equal(VerdictAction.Forward, outcome.Verdict.Action);
        return Assert.Single(outcome.Outputs).Frame;
    }

    public void Publish() => Cache.SetPeerFlows(Remote, Owner.EstablishedFlows());

    /// <summary>
    /// Decides a copy of <paramref name="frame"/> in the cache and another copy on the owner; asserts the cache
    /// took it, both wrote the same bytes and reached the same verdict, and the owner emitted no event (the frame
    /// changed nothing a journal would hold). Returns the cache's frame and the flow it used.
    /// </summary>
    public (byte[] Frame, EstablishedFlow Flow) AssertTranslatedAsByTheOwner(byte[] frame, Direction direction)
    {
        var cached = frame.ToArray();
        bool hit = Cache.TryTranslate(cached, Dissect(cached), direction, Remote, Gateway.Gateway.Settings.PublicAddress,
            out var cacheVerdict, out var flow);
        var owned = frame.ToArray();
        var events = new List<PeerEvent>();
        var ownerVerdict = Owner.Handle(owned, Dissect(owned), direction, Gateway.Gateway.Settings, Gateway.Now, events);

        Assert.True(hit, "the cache refused a frame of an established flow");
        Assert.Empty(events);
        Assert.Equal(ownerVerdict, cacheVerdict);
        Assert.Equal(owned, cached);
        Assert.NotEqual(frame, cached);
        Assert.Contains(flow, Owner.EstablishedFlows());
        GatewayUnderTest.AssertValid(cached);
        return (cached, flow);
    }

    /// <summary>Asserts the cache refuses <paramref name="frame"/> and leaves its bytes as they were.</summary>
    public void AssertGoesToTheOwner(byte[] frame, Direction direction)
    {
        var copy = frame.ToArray();

        bool hit = Cache.TryTranslate(copy, Dissect(copy), direction, Remote, Gateway.Gateway.Settings.PublicAddress, out var verdict, out var flow);

        Assert.False(hit, "the cache translated a frame only the owner may decide");
        Assert.Equal(frame, copy);
        Assert.Equal(default, verdict);
        Assert.Equal(default, flow);
    }

    /// <summary>The events the owner emits deciding a copy of <paramref name="frame"/> now.</summary>
    public List<PeerEvent> OwnerDecides(byte[] frame, Direction direction)
    {
        var copy = frame.ToArray();
        var events = new List<PeerEvent>();
        Owner.Handle(copy, Dissect(copy), direction, Gateway.Gateway.Settings, Gateway.Now, events);
        return events;
    }
}
