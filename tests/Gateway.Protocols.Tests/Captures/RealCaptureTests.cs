using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// Every frame of every shared capture, dissected and compared with what tshark sees
/// (<see cref="CaptureOutcomes"/>). Field-level golden values live beside this file, one test
/// class per protocol family. Frames one might expect to fail, and why they do not:
/// sv-eve-flow-esp.pcap is "truncated" only in that its ESP carries no payload — each IPv4
/// datagram is exactly IP + the 8-byte ESP header, which is whole (frames 7–8 are IPv6:
/// NotIpv4); tcpdump-isakmp-no-none-np.pcapng breaks the payload chain, not the 28-byte header,
/// whose Length (84) lies within the datagram; IPv6 frames (zeek-ip6_esp, zeek-gre-pptp, one
/// each in ppp-ipsec and ppp-GrePackets) are NotIpv4 with Status Ok; 802.3/LLC frames (STP in
/// tcpdump-various_gre) are NotIpv4 too; GRE version 0 dissects as Gre with GreVersion 0.
/// </summary>
public sealed class RealCaptureTests
{
    public static TheoryData<string> CaptureFiles => [.. CaptureOutcomes.Expected.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void SharedCaptureDirectory_HoldsExactlyTheCapturesWithExpectations()
    {
        Assert.Equal(CaptureOutcomes.Expected.Keys.Order(StringComparer.Ordinal), SharedCaptures.FileNames());
    }

    [Theory]
    [MemberData(nameof(CaptureFiles))]
    public void EveryFrame_Dissects_ToTheOutcomeTsharkImplies(string file)
    {
        var frames = SharedCaptures.Read(file);

        var outcomes = frames.Select(r => Outcome(FrameDissector.Dissect(r.LinkType, r.Data)));

        Assert.Equal(CaptureOutcomes.Expected[file], Runs(outcomes));
    }

    [Fact]
    public void GrePptpNestedInIpv6_IsNotIpv4_AfterTheVlanTag()
    {
        // tshark -r zeek-gre-pptp.pcap -T fields -e frame.number -e vlan.id -e vlan.etype
        //   1  100  0x86dd
        //   2  100  0x86dd
        var dissections = SharedCaptures.Read("zeek-gre-pptp.pcap").Select(r => FrameDissector.Dissect(r.LinkType, r.Data));

        Assert.All(dissections, d =>
        {
            Assert.Equal(FrameKind.NotIpv4, d.Kind);
            Assert.Equal(EtherType.Ipv6, d.EtherType);
            Assert.Equal(EthernetHeader.TaggedLength, d.NetworkOffset);
        });
    }

    [Fact]
    public void GrePptpNestedInIpv6_VlanIdAndInnerEtherType_MatchTshark()
    {
        // tshark -r zeek-gre-pptp.pcap -T fields -e frame.number -e vlan.id -e vlan.etype
        (int Frame, ushort VlanId, ushort EtherType)[] expected = [(1, 100, 0x86DD), (2, 100, 0x86DD)];

        var actual = SharedCaptures.Read("zeek-gre-pptp.pcap").Select(r =>
        {
            Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(r.Data, out var eth));
            return (r.FrameNumber, eth.VlanId, eth.EtherType);
        });

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void UntaggedEthernetFrames_ReframedAsLinuxCooked_DissectTheSameTwoBytesLater()
    {
        // No shared capture uses DLT_LINUX_SLL: the payloads are real, the 16-byte cooked header is
        // built from the Ethernet one. tshark -Y "eth && !llc && !vlan", summed over all captures: 1551.
        var untagged = CaptureOutcomes.Expected.Keys.SelectMany(SharedCaptures.Read)
            .Where(r => r.LinkType == LinkType.Ethernet && EthernetHeader.Parse(r.Data, out var eth) == ParseStatus.Ok && !eth.HasVlanTag)
            .ToList();

        var mismatches = untagged.Where(r => !Shifted(FrameDissector.Dissect(LinkType.Ethernet, r.Data), 2)
            .Equals(FrameDissector.Dissect(LinkType.LinuxCooked, Reframed.AsLinuxCooked(r.Data)))).Select(r => r.FrameNumber);

        Assert.Empty(mismatches);
        Assert.Equal(1551, untagged.Count);
    }

    internal static string Outcome(Dissection d) => d.Status != ParseStatus.Ok
        ? $"{d.Status}@{d.FailedLayer}"
        : d.Kind == FrameKind.Gre ? $"Gre v{d.GreVersion}" : d.Kind.ToString();

    private static Dissection Shifted(Dissection d, int by)
    {
        d.NetworkOffset += by;
        d.TransportOffset += d.TransportOffset == 0 ? 0 : by;
        d.ApplicationOffset += d.ApplicationOffset == 0 ? 0 : by;
        return d;
    }

    private static List<(int First, int Last, string Outcome)> Runs(IEnumerable<string> outcomes)
    {
        var runs = new List<(int First, int Last, string Outcome)>();
        int number = 0;
        foreach (var outcome in outcomes)
        {
            number++;
            if (runs.Count > 0 && runs[^1].Outcome == outcome)
                runs[^1] = runs[^1] with { Last = number };
            else
                runs.Add((number, number, outcome));
        }

        return runs;
    }
}
