using CsCheck;
using VpnMasq.Protocols.Link;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Link;

public sealed class ArpFieldsTests
{
    private const ulong MacMask = 0xFFFF_FFFF_FFFF;
    private const ulong Gateway = 0x0200_0000_0001;
    private const ulong Asker = 0x0200_0000_0002;

    [Fact]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields()
    {
        Gen.Select(Gen.UShort, Gen.ULong, Gen.UInt, Gen.ULong, Gen.UInt)
            .Select(t => new ArpFields(t.Item1, t.Item2 & MacMask, t.Item3, t.Item4 & MacMask, t.Item5))
            .Sample(fields =>
            {
                var bytes = new byte[ArpPacket.Length];
                fields.WriteTo(bytes);

                Assert.True(ArpPacket.TryParse(bytes, out var packet));
                Assert.Equal(fields, ArpFields.From(packet));
            });
    }

    [Fact]
    public void WriteTo_Request_WritesRfc826Bytes()
    {
        var bytes = new byte[ArpPacket.Length];
        ArpFields.Request(Asker, 0x0A00_0002, 0x0A00_0001).WriteTo(bytes);

        Assert.Equal(Hex("0001 0800 06 04 0001 020000000002 0a000002 000000000000 0a000001"), bytes);
    }

    [Fact]
    public void ToEthernetFrame_Request_IsBroadcastFromTheSender()
    {
        var frame = ArpFields.Request(Asker, 0x0A00_0002, 0x0A00_0001).ToEthernetFrame();

        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(frame, out var ethernet));
        Assert.Equal(new EthernetFields(MacMask, Asker, EtherType.Arp), EthernetFields.From(ethernet));
        Assert.Equal(ArpFields.FrameLength, frame.Length);
    }

    [Fact]
    public void ToEthernetFrame_Reply_GoesToTheAsker()
    {
        var request = ArpFields.Request(Asker, 0x0A00_0002, 0x0A00_0001);

        var frame = ArpFields.ReplyTo(request, Gateway).ToEthernetFrame();

        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(frame, out var ethernet));
        Assert.Equal(new EthernetFields(Asker, Gateway, EtherType.Arp), EthernetFields.From(ethernet));
    }

    [Fact]
    public void ReplyTo_Request_AnswersTheTargetAddressWithTheMac()
    {
        var request = ArpFields.Request(Asker, 0x0A00_0002, 0x0A00_0001);

        var reply = ArpFields.ReplyTo(request, Gateway);

        Assert.Equal(new ArpFields(ArpPacket.OperationReply, Gateway, 0x0A00_0001, Asker, 0x0A00_0002), reply);
    }
}
