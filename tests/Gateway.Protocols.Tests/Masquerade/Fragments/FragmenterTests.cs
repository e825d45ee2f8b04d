using System.Buffers.Binary;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Masquerade.Fragments.FragmentFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

public sealed class FragmenterTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(1500)]
    public void DatagramThatFits_IsReturnedUnchanged(int totalLength)
    {
        var frame = IkeMessage(totalLength);

        var fragments = Split(frame, 1500);

        Assert.Equal(frame, Assert.Single(fragments));
    }

    [Fact]
    public void DontFragmentOnADatagramTooLarge_ReturnsNothing()
    {
        var frame = WithDontFragment(IkeMessage());

        Assert.Empty(Split(frame, 1500));
    }

    [Fact]
    public void DontFragmentOnADatagramThatFits_IsReturnedUnchanged()
    {
        var frame = WithDontFragment(IkeMessage(1400));

        Assert.Equal(frame, Assert.Single(Split(frame, 1500)));
    }

    [Theory]
    [InlineData(1500, 3)]
    [InlineData(576, 6)]
    [InlineData(68, 63)]
    public void Fragments_EachFitTheMtu(int mtu, int count)
    {
        var fragments = Split(IkeMessage(), mtu);

        Assert.Equal(count, fragments.Count);
        Assert.All(fragments, f => Assert.InRange(f.Length - LinkLength, 1, mtu));
    }

    [Fact]
    public void Fragments_HaveContiguousOffsetsInUnitsOf8()
    {
        var fragments = Split(IkeMessage(), 576);

        var offsets = fragments.Select(f => Header(f).FragmentOffset);

        Assert.Equal([0, 552, 1104, 1656, 2208, 2760], offsets);
    }

    [Fact]
    public void MoreFragments_IsSetOnAllButTheLast()
    {
        var fragments = Split(IkeMessage(), 576);

        Assert.Equal([true, true, true, true, true, false], fragments.Select(f => Header(f).More));
    }

    [Fact]
    public void Fragments_CarryTheLinkHeader()
    {
        var frame = IkeMessage();

        var fragments = Split(frame, 576);

        Assert.All(fragments, f => Assert.Equal(frame[..LinkLength], f[..LinkLength]));
    }

    [Fact]
    public void Fragments_KeepTheDatagramsIdentity()
    {
        var frame = IkeMessage();

        var fragments = Split(frame, 576);

        Assert.All(fragments, f => Assert.Equal(Identity(frame), Identity(f)));
    }

    [Fact]
    public void Fragments_HaveValidHeaderChecksums()
    {
        var fragments = Split(IkeMessage(), 576);

        Assert.All(fragments, f => Assert.Equal(Datagrams.StoredHeaderChecksum(f.AsSpan(LinkLength)), Datagrams.RecomputedHeaderChecksum(f.AsSpan(LinkLength))));
    }

    [Fact]
    public void FragmentOfAFragment_KeepsItsOffsetAndMoreFragments()
    {
        var middle = Split(IkeMessage(), 1500)[1];

        var fragments = Split(middle, 576);

        Assert.Equal([(1480, true), (2032, true), (2584, true)], fragments.Select(f => (Header(f).FragmentOffset, Header(f).More)));
    }

    [Fact]
    public void FragmentsOfTheLastFragment_EndWithoutMoreFragments()
    {
        var last = Split(IkeMessage(4000), 1500)[^1];

        var fragments = Split(last, 576);

        Assert.Equal([true, false], fragments.Select(f => Header(f).More));
    }

    [Fact]
    public void RefragmentedFragments_ReassembleToOriginal()
    {
        var original = IkeMessage();

        var fragments = Split(original, 1500).SelectMany(f => Split(f, 576)).Reverse();

        Assert.Equal(original, Feed(NewReassembler(), fragments)[^1].Frame);
    }

    [Fact]
    public void FirstFragment_CarriesEveryOption()
    {
        var frame = WithOptions(RouteOptions);

        var first = Split(frame, 576)[0];

        Assert.Equal(RouteOptions, first.AsSpan(LinkLength + 20, RouteOptions.Length).ToArray());
    }

    [Fact]
    public void LaterFragments_CarryOnlyOptionsWithTheCopiedFlag()
    {
        var frame = WithOptions(RouteOptions);

        var later = Split(frame, 576).Skip(1);

        byte[] copiedOnly = [0x83, 0x07, 0x04, 0xC0, 0x00, 0x02, 0x01, 0x00];
        Assert.All(later, f => Assert.Equal(copiedOnly, f.AsSpan(LinkLength + 20, Datagrams.HeaderLength(f.AsSpan(LinkLength)) - 20).ToArray()));
    }

    [Fact]
    public void MalformedDatagram_ReturnsNothing()
    {
        var frame = IkeMessage();
        frame[LinkLength] = 0x45 + 0x10;   // version 5

        Assert.Empty(Split(frame, 576));
    }

    [Fact]
    public void MtuBelow68_IsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Split(IkeMessage(), 67));
    }

    // Loose source route (copied), then record route (not copied), then two no-ops: 16 bytes.
    private static readonly byte[] RouteOptions =
    [
        0x83, 0x07, 0x04, 0xC0, 0x00, 0x02, 0x01,
        0x07, 0x07, 0x04, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x01,
    ];

    private static byte[] WithOptions(byte[] options)
    {
        var fields = new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp, 0, IkeId, Options: options);
        return WithEthernet(Datagrams.Build(fields, Datagrams.UdpSegment(500, 500, Pattern(2000, seed: 5))));
    }

    private static byte[] WithDontFragment(byte[] frame)
    {
        var fields = Ipv4Fields.From(Parse(frame)) with { DontFragment = true };
        fields.WriteTo(frame.AsSpan(LinkLength));
        return frame;
    }

    private static Ipv4Header Parse(byte[] frame)
    {
        Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(frame.AsSpan(LinkLength), out var header));
        return header;
    }

    private static (uint Source, uint Destination, byte Protocol, ushort Id, byte Ttl) Identity(byte[] frame)
    {
        var header = Parse(frame);
        return (header.Source, header.Destination, header.Protocol, header.Identification, header.TimeToLive);
    }

    private static (int FragmentOffset, bool More) Header(byte[] frame)
    {
        ushort word = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(LinkLength + 6));
        return ((word & 0x1FFF) * 8, (word & 0x2000) != 0);
    }
}
