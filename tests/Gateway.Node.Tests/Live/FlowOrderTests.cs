using VpnMasq.Actors.Ingress;
using VpnMasq.Node.Live;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Node.Tests.Live;

// Frames of one flow leave in capture order; a flow waiting for its owner holds no other flow.
public sealed class FlowOrderTests
{
    private static readonly IngressDecision Forward =
        new(Verdict.Send(ProtocolLabel.Udp, 1, 2, Side.Outside), Direction.Outbound, DecisionSource.Owner, null);

    [Fact]
    public void LaterFramesOfAFlow_WaitForItsFrameThatWaitsForTheOwner_ThenLeaveInCaptureOrder()
    {
        var sent = new List<byte>();
        var order = new FlowOrder((frame, _) => sent.Add(frame[^1]), e => throw e);
        var owner = new TaskCompletionSource<IngressDecision>();

        Add(order, Frame(flowPort: 1000, tag: 1), new ValueTask<IngressDecision>(owner.Task));
        Add(order, Frame(flowPort: 1000, tag: 2), new ValueTask<IngressDecision>(Forward)); // from the flow cache, at once
        Assert.Empty(sent);

        owner.SetResult(Forward);
        SpinWait.SpinUntil(() => sent.Count == 2, TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2], sent);
    }

    [Fact]
    public void AFlowWaitingForItsOwner_HoldsAtMostItsLimit_TheFramesBeyondAreCountedAndDropped()
    {
        var sent = new List<byte>();
        var overflowed = new List<byte>();
        var order = new FlowOrder((frame, _) => sent.Add(frame[^1]), e => throw e, frame => overflowed.Add(frame[^1]), maxWaitingPerFlow: 2);
        var owner = new TaskCompletionSource<IngressDecision>();

        Add(order, Frame(flowPort: 1000, tag: 1), new ValueTask<IngressDecision>(owner.Task));
        Add(order, Frame(flowPort: 1000, tag: 2), new ValueTask<IngressDecision>(Forward));
        Add(order, Frame(flowPort: 1000, tag: 3), new ValueTask<IngressDecision>(Forward)); // a third would exceed 2
        Add(order, Frame(flowPort: 2000, tag: 4), new ValueTask<IngressDecision>(Forward)); // another flow is not limited by it

        Assert.Equal([3], overflowed);
        owner.SetResult(Forward);
        SpinWait.SpinUntil(() => sent.Count == 3, TimeSpan.FromSeconds(5));
        Assert.Equal([4, 1, 2], sent);
    }

    [Fact]
    public void OtherFlows_AreNotHeldBehindAFlowWaitingForItsOwner()
    {
        var sent = new List<byte>();
        var order = new FlowOrder((frame, _) => sent.Add(frame[^1]), e => throw e);

        Add(order, Frame(flowPort: 1000, tag: 1), new ValueTask<IngressDecision>(new TaskCompletionSource<IngressDecision>().Task));
        Add(order, Frame(flowPort: 2000, tag: 2), new ValueTask<IngressDecision>(Forward));

        Assert.Equal([2], sent);
    }

    [Fact]
    public void OwnersAnswersCompletingOutOfOrder_AreSentInCaptureOrder()
    {
        var sent = new List<byte>();
        var order = new FlowOrder((frame, _) => sent.Add(frame[^1]), e => throw e);
        var first = new TaskCompletionSource<IngressDecision>();
        var second = new TaskCompletionSource<IngressDecision>();
        Add(order, Frame(flowPort: 1000, tag: 1), new ValueTask<IngressDecision>(first.Task));
        Add(order, Frame(flowPort: 1000, tag: 2), new ValueTask<IngressDecision>(second.Task));

        second.SetResult(Forward);
        Thread.Sleep(50);
        Assert.Empty(sent);
        first.SetResult(Forward);
        SpinWait.SpinUntil(() => sent.Count == 2, TimeSpan.FromSeconds(5));

        Assert.Equal([1, 2], sent);
    }

    /// <summary>As the live gateway adds a frame: keyed from its dissection as captured, before its decision.</summary>
    private static void Add(FlowOrder order, byte[] frame, ValueTask<IngressDecision> decision) =>
        order.Add(KeyOf(frame), frame, decision);

    private static ulong KeyOf(byte[] frame) => FlowOrderKey.Of(FrameDissector.Dissect(LinkType.Ethernet, frame));

    /// <summary>An Ethernet + IPv4 + UDP frame from 10.0.0.2:<paramref name="flowPort"/> to 199.0.0.1:53; its last byte tags it.</summary>
    private static byte[] Frame(ushort flowPort, byte tag)
    {
        const int udpLength = UdpHeader.Length + 1;
        var frame = new byte[EthernetHeader.UntaggedLength + Ipv4Header.MinLength + udpLength];
        int at = new EthernetFields(1, 2, EtherType.Ipv4).WriteTo(frame);
        at += new Ipv4Fields(0x0A00_0002, 0xC700_0001, IpProtocol.Udp, Ipv4Header.MinLength + udpLength).WriteTo(frame.AsSpan(at));
        new UdpFields(flowPort, 53, udpLength).WriteTo(frame.AsSpan(at));
        frame[^1] = tag;
        return frame;
    }

    [Fact]
    public void FrameRewrittenByItsDecision_StillWaitsBehindTheEarlierFrameOfItsFlow()
    {
        var sent = new List<byte>();
        var order = new FlowOrder((frame, _) => sent.Add(frame[^1]), e => throw e);
        var owner = new TaskCompletionSource<IngressDecision>();
        Add(order, Frame(flowPort: 1000, tag: 1), new ValueTask<IngressDecision>(owner.Task));

        // The flow cache translates the next frame of the flow in place before it is handed over.
        var second = Frame(flowPort: 1000, tag: 2);
        ulong asCaptured = KeyOf(second);
        second[EthernetHeader.UntaggedLength + 12] = 200; // source address rewritten to the public one
        order.Add(asCaptured, second, new ValueTask<IngressDecision>(Forward));

        Assert.Empty(sent);
        owner.SetResult(Forward);
        SpinWait.SpinUntil(() => sent.Count == 2, TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2], sent);
    }
}
