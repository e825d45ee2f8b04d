using CsCheck;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Masquerade.Fragments.FragmentFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

public sealed class FragmenterPropertyTests
{
    private const byte Experimental = 253;

    /// <summary>A frame of 21..9000 datagram bytes with random options and payload, and an MTU of 68..1500.</summary>
    private static readonly Gen<(byte[] Frame, int Mtu)> FrameAndMtu =
        Gen.Select(Gen.Int[21, 9000], Generators.AnyOptions, Gen.UShort, Gen.Int[68, 1500])
            .SelectMany(t =>
            {
                var fields = new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, Experimental, 0, t.Item3, Options: t.Item2);
                int payloadLength = Math.Max(t.Item1 - fields.HeaderLength, 1);
                return Gen.Byte.Array[payloadLength].Select(payload => (WithEthernet(Datagrams.Build(fields, payload)), t.Item4));
            });

    [Fact]
    public void Fragment_NeverEmitsADatagramLargerThanTheMtu()
    {
        FrameAndMtu.Sample(sample =>
        {
            var fragments = Fragmenter.Fragment(sample.Frame, LinkLength, sample.Mtu);

            Assert.NotEmpty(fragments);
            Assert.All(fragments, f => Assert.InRange(f.Length - LinkLength, Ipv4Header.MinLength + 1, sample.Mtu));
        });
    }

    [Fact]
    public void Fragment_EmitsWellFormedDatagramsWithValidHeaderChecksums()
    {
        FrameAndMtu.Sample(sample =>
        {
            var fragments = Fragmenter.Fragment(sample.Frame, LinkLength, sample.Mtu);

            Assert.All(fragments, f => Assert.True(
                Ipv4Header.Parse(f.AsSpan(LinkLength), out var header) == ParseStatus.Ok && header.ChecksumValid
                && header.TotalLength == f.Length - LinkLength));
        });
    }

    [Fact]
    public void ReassemblingTheFragments_GivesTheInputBack()
    {
        Gen.Select(FrameAndMtu, Gen.Bool).Sample((sample, reversed) =>
        {
            var fragments = Fragmenter.Fragment(sample.Frame, LinkLength, sample.Mtu);

            var results = Feed(NewReassembler(), reversed ? fragments.Reverse() : fragments);

            Assert.Equal(sample.Frame, results[^1].Frame);
        });
    }
}
