using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Benchmarks;

/// <summary>Typical frames of each VPN protocol, built once per benchmark run.</summary>
internal static class SampleFrames
{
    public static readonly uint Inside = Ipv4Address.Parse("10.0.0.2");
    public static readonly uint Public = Ipv4Address.Parse("200.200.200.200");
    public static readonly uint Remote = Ipv4Address.Parse("199.0.0.1");

    public static byte[] Esp(int payload = 120)
    {
        var frame = Start(IpProtocol.Esp, EspHeader.Length + payload, out int at);
        new EspFields(0x12345678, 7).WriteTo(frame.AsSpan(at));
        return Finish(frame);
    }

    public static byte[] Isakmp(int payload = 200)
    {
        int length = IsakmpHeader.Length + payload;
        var frame = Start(IpProtocol.Udp, UdpHeader.Length + length, out int at);
        new UdpFields(500, 500, (ushort)(UdpHeader.Length + length)).WriteTo(frame.AsSpan(at));
        new IsakmpFields(0x0102030405060708, 0, 1, 1, 0, 2, 0, 0, (uint)length).WriteTo(frame.AsSpan(at + UdpHeader.Length));
        return Finish(frame);
    }

    public static byte[] GreV1(int payload = 100)
    {
        var gre = GreFields.Enhanced(callId: 0x4321, payloadLength: (ushort)payload, sequence: 9, ack: 8);
        var frame = Start(IpProtocol.Gre, gre.Length + payload, out int at);
        gre.WriteTo(frame.AsSpan(at));
        return Finish(frame);
    }

    private static byte[] Start(byte protocol, int ipPayload, out int payloadOffset)
    {
        var eth = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, EtherType.Ipv4);
        var ip = new Ipv4Fields(Inside, Remote, protocol, (ushort)(20 + ipPayload), Identification: 0x1234);
        var frame = new byte[eth.Length + 20 + ipPayload];
        int offset = eth.WriteTo(frame);
        ip.WriteTo(frame.AsSpan(offset));
        payloadOffset = offset + 20;
        new Random(1).NextBytes(frame.AsSpan(payloadOffset));
        return frame;
    }

    private static byte[] Finish(byte[] frame)
    {
        TransportChecksum.Fill(frame.AsSpan(EthernetHeader.UntaggedLength));
        return frame;
    }
}
