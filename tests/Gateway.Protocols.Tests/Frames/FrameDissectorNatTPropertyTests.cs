using CsCheck;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Frames.TestFrames;

namespace VpnMasq.Protocols.Tests.Frames;

/// <summary>
/// UDP 4500 (RFC 3948) built from random fields, to or from port 4500 between random addresses:
/// the dissector names each kind and exposes the identifiers written into it.
/// </summary>
public sealed class FrameDissectorNatTPropertyTests
{
    private static Dissection Dissect((ushort Source, ushort Destination) ports, uint source, uint destination, byte[] payload) =>
        FrameDissector.Dissect(LinkType.Ethernet, Ethernet(Datagrams.Udp(ports.Source, ports.Destination, payload, source, destination)));

    [Fact]
    public void Dissect_UdpEncapsulatedEsp_IsNatTEspWithTheSpi()
    {
        Gen.Select(NatTPayloads.Ports, Gen.UInt, Gen.UInt, NatTPayloads.Esp).Sample((ports, source, destination, esp) =>
        {
            var d = Dissect(ports, source, destination, esp.Payload);

            Assert.Equal((ParseStatus.Ok, FrameKind.NatTEsp, esp.Fields.Spi), (d.Status, d.Kind, d.Spi));
        });
    }

    [Fact]
    public void Dissect_IkeAfterTheNonEspMarker_IsNatTIsakmpWithTheCookiesAndVersion()
    {
        Gen.Select(NatTPayloads.Ports, Gen.UInt, Gen.UInt, NatTPayloads.Isakmp).Sample((ports, source, destination, ike) =>
        {
            var d = Dissect(ports, source, destination, ike.Payload);

            Assert.Equal(
                (ParseStatus.Ok, FrameKind.NatTIsakmp, ike.Fields.InitiatorCookie, ike.Fields.ResponderCookie, ike.Fields.MajorVersion),
                (d.Status, d.Kind, d.InitiatorCookie, d.ResponderCookie, d.IsakmpMajorVersion));
        });
    }

    [Fact]
    public void Dissect_KeepaliveByte_IsNatTKeepaliveWithThePorts()
    {
        Gen.Select(NatTPayloads.Ports, Gen.UInt, Gen.UInt).Sample((ports, source, destination) =>
        {
            var d = Dissect(ports, source, destination, NatTPayloads.Keepalive);

            Assert.Equal((ParseStatus.Ok, FrameKind.NatTKeepalive, ports.Source, ports.Destination), (d.Status, d.Kind, d.SourcePort, d.DestinationPort));
        });
    }
}
