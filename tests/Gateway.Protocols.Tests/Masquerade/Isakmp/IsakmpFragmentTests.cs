using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Isakmp;

// DESIGN §3.1: "a fragmented UDP 500 packet is normal for IKE with certificates".
public sealed class IsakmpFragmentTests
{
    private const int NetworkOffset = 14;
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;

    [Fact]
    public void FragmentedIkeMessage_IsMasqueradedByItsCookie_AndSentInPiecesThatFitTheMtu()
    {
        var gw = new EspIsakmpDriver();
        var whole = IsakmpOut(HostA, CookieA, bodyLength: 3000);
        var fragments = Fragmenter.Fragment(whole, NetworkOffset, 576);
        Assert.True(fragments.Count > 1);

        var verdicts = fragments.Select((f, i) => gw.Out(f.ToArray(), At(i * 0.01))).ToList();

        Assert.All(verdicts.SkipLast(1), v => Assert.Equal(VerdictAction.Hold, v.Action));
        var last = verdicts[^1];
        Assert.Equal(VerdictAction.Forward, last.Action);
        Assert.Equal(HostA, last.Inside);
        var pieces = EspIsakmpDriver.Outputs([], last);
        Assert.All(pieces, p => Assert.True(Datagram(p).Length <= gw.Gateway.Settings.Options.Limits.Mtu));
        var sent = Reassemble(pieces);
        Assert.Equal((Public, IkePort), (SourceOf(sent), SourcePortOf(sent)));
        Assert.True(TransportChecksum.IsValid(Datagram(sent)));
        Assert.Equal(HostA, gw.Peer.Isakmp.Find(HostA, CookieA)!.Inside);
    }

    private static byte[] Reassemble(IReadOnlyList<byte[]> pieces)
    {
        var reassembler = new FragmentReassembler(new LimitOptions());
        byte[]? whole = null;
        foreach (var piece in pieces)
        {
            var added = reassembler.Add(piece, NetworkOffset, TimeSpan.Zero);
            if (added.Status == ReassemblyStatus.Complete)
                whole = added.Frame;
        }

        Assert.NotNull(whole);
        return whole;
    }
}
