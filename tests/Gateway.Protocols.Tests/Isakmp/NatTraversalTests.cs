using CsCheck;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Isakmp;

public sealed class NatTraversalTests
{
    [Fact]
    public void Classify_SingleFfByte_IsKeepalive()
    {
        Assert.Equal(ParseStatus.Ok, NatTraversal.Classify([0xFF], out var kind));
        Assert.Equal(NatTPayloadKind.Keepalive, kind);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFE)]
    public void Classify_SingleByteOtherThanFf_ReturnsMalformed(byte garbage)
    {
        Assert.Equal(ParseStatus.Malformed, NatTraversal.Classify([garbage], out _));
    }

    [Fact]
    public void Classify_NonEspMarker_IsIsakmp()
    {
        var payload = Hex("00000000 0102030405060708 0000000000000000 21 20 22 08 00000000 0000001c");

        Assert.Equal(ParseStatus.Ok, NatTraversal.Classify(payload, out var kind));
        Assert.Equal(NatTPayloadKind.Isakmp, kind);
    }

    [Fact]
    public void Classify_NonZeroSpiAndSequence_IsEsp()
    {
        var payload = Hex("c0ffee01 00000001 0102030405060708");

        Assert.Equal(ParseStatus.Ok, NatTraversal.Classify(payload, out var kind));
        Assert.Equal(NatTPayloadKind.Esp, kind);
    }

    [Fact]
    public void Classify_AnyIkeMessageAfterTheNonEspMarker_IsIsakmpWithTheHeaderIntact()
    {
        NatTPayloads.Isakmp.Sample(t =>
        {
            Assert.Equal(ParseStatus.Ok, NatTraversal.Classify(t.Payload, out var kind));
            Assert.Equal(NatTPayloadKind.Isakmp, kind);
            Assert.Equal(ParseStatus.Ok, IsakmpHeader.Parse(t.Payload.AsSpan(NatTraversal.NonEspMarkerLength), out var header));
            Assert.Equal(t.Fields, IsakmpFields.From(header));
        });
    }

    [Fact]
    public void Classify_AnyEspHeaderWithNonZeroSpi_IsEspWithTheHeaderIntact()
    {
        NatTPayloads.Esp.Sample(t =>
        {
            Assert.Equal(ParseStatus.Ok, NatTraversal.Classify(t.Payload, out var kind));
            Assert.Equal(NatTPayloadKind.Esp, kind);
            Assert.Equal(ParseStatus.Ok, EspHeader.Parse(t.Payload, out var header));
            Assert.Equal(t.Fields, EspFields.From(header));
        });
    }

    [Fact]
    public void Classify_Empty_ReturnsTooShort() => Assert.Equal(ParseStatus.TooShort, NatTraversal.Classify([], out _));

    [Fact]
    public void Classify_ThreeBytes_ReturnsTooShort() => Assert.Equal(ParseStatus.TooShort, NatTraversal.Classify([0, 0, 0], out _));

    [Fact]
    public void Classify_SpiWithoutSequenceNumber_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, NatTraversal.Classify(Hex("c0ffee01 0000"), out _));
}
