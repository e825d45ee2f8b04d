using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// PPTP control connections (TCP 1723) in real captures against tshark. Each TCP payload is
/// walked message by message with <see cref="PptpControlMessage.Parse"/>; a row is (frame, TCP
/// source port, Length, type, Call ID, Peer Call ID), null where the type carries no such field.
/// tshark runs with sequence analysis off so that it also dissects retransmitted segments.
/// </summary>
public sealed class PptpCaptureTests
{
    [Fact]
    public void MicrosoftClientSession_ControlTypesAndCallIds_MatchTshark()
    {
        // tshark -r tcpdump-pptp.pcap -o tcp.analyze_sequence_numbers:FALSE -Y pptp -T fields -e frame.number -e tcp.srcport -e pptp.length -e pptp.control_message_type -e pptp.call_id -e pptp.peer_call_id
        PptpRow[] expected =
        [
            new(5, 3025, 156, PptpControlType.StartControlConnectionRequest, null, null),
            new(8, 1723, 156, PptpControlType.StartControlConnectionReply, null, null),
            new(9, 1723, 156, PptpControlType.StartControlConnectionReply, null, null),
            new(10, 3025, 168, PptpControlType.OutgoingCallRequest, 0, null),
            new(13, 1723, 32, PptpControlType.OutgoingCallReply, 0, 0),
            new(14, 1723, 32, PptpControlType.OutgoingCallReply, 0, 0),
            new(15, 3025, 24, PptpControlType.SetLinkInfo, null, 0),
        ];

        Assert.Equal(expected, PptpRow.Of("tcpdump-pptp.pcap"));
    }

    [Fact]
    public void PublicServerSession_ControlTypesAndCallIds_MatchTshark()
    {
        // tshark -r ndpi-pptp.pcap -o tcp.analyze_sequence_numbers:FALSE -Y pptp -T fields -e frame.number -e tcp.srcport -e pptp.length -e pptp.control_message_type -e pptp.call_id -e pptp.peer_call_id
        PptpRow[] expected =
        [
            new(4, 41366, 156, PptpControlType.StartControlConnectionRequest, null, null),
            new(6, 1723, 156, PptpControlType.StartControlConnectionReply, null, null),
            new(8, 41366, 168, PptpControlType.OutgoingCallRequest, 0, null),
            new(10, 1723, 32, PptpControlType.OutgoingCallReply, 11755, 0),
            new(12, 1723, 24, PptpControlType.SetLinkInfo, null, 0),
            new(14, 1723, 24, PptpControlType.SetLinkInfo, null, 0),
            new(16, 41366, 16, PptpControlType.CallClearRequest, 0, null),
            new(19, 41366, 16, PptpControlType.CallClearRequest, 0, null),
            new(23, 1723, 148, PptpControlType.CallDisconnectNotify, 0, null),
        ];

        Assert.Equal(expected, PptpRow.Of("ndpi-pptp.pcap"));
    }

    [Theory]
    [InlineData("tcpdump-pptp.pcap", 724)]
    [InlineData("ndpi-pptp.pcap", 740)]
    public void ControlSegments_SplitIntoWholeMessages_WithNoBytesLeftOver(string file, int tcpPayloadBytes)
    {
        // tshark -r FILE -Y "tcp.port == 1723" -T fields -e tcp.len | paste -sd+ | bc
        var rows = PptpRow.Of(file);

        Assert.Equal(tcpPayloadBytes, rows.Sum(r => r.Length));
    }
}
