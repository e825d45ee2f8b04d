namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// GRE in real captures against tshark. Version 1 rows are (frame, ip.id, ip.ttl, ip.len,
/// gre.flags_and_version, payload length, call id, sequence, acknowledgment); version 0 rows end
/// with (protocol type, key, checksum). A null is a field the header does not carry.
/// </summary>
public sealed class GreCaptureTests
{
    private const string PptpDataChannel = "flowcontainer-pptp.pcap";

    [Fact]
    public void PptpDataChannel_SeqOnlyAckOnlyAndBoth_MatchTshark()
    {
        // tshark 4.0 wants commas in a set: 'in {1 2 3}' is rejected.
        // tshark -r flowcontainer-pptp.pcap -Y 'frame.number in {1, 2, 3, 4, 45, 65, 66, 400, 401, 402}' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e gre.flags_and_version -e gre.key.payload_length -e gre.key.call_id -e gre.sequence_number -e gre.ack_number
        GreV1Row[] expected =
        [
            new(1, 0xC7C4, 128, 199, 0x3001, 167, 55936, 9603, null),
            new(2, 0xC7C5, 128, 199, 0x3001, 167, 55936, 9604, null),
            new(3, 0xC7C6, 128, 202, 0x3001, 170, 55936, 9605, null),
            new(4, 0x5DF2, 44, 32, 0x2081, 0, 2035, null, 9605),
            new(45, 0x5F75, 44, 81, 0x3081, 45, 2035, 10524, 9615),
            new(65, 0x60AA, 44, 42, 0x3001, 10, 2035, 10548, null),
            new(66, 0xC7F1, 128, 46, 0x3081, 10, 55936, 9647, 10548),
            new(400, 0xC8AF, 128, 101, 0x3081, 65, 55936, 9825, 10739),
            new(401, 0x6AAB, 44, 125, 0x3001, 93, 2035, 10740, null),
            new(402, 0xC8B0, 128, 101, 0x3081, 65, 55936, 9826, 10740),
        ];

        Assert.Equal(expected, GreV1Row.Of(PptpDataChannel).Where(r => expected.Any(e => e.Frame == r.Frame)));
    }

    [Fact]
    public void PptpDataChannel_CallIdsAndOptionalFieldsOfAllFrames_MatchTshark()
    {
        // tshark -r flowcontainer-pptp.pcap -T fields -e gre.key.call_id -e gre.flags.sequence_number -e gre.flags.ack | sort | uniq -c
        ((ushort CallId, bool Sequence, bool Ack) Variant, int Count)[] expected =
        [
            ((2035, false, true), 24), ((2035, true, false), 85), ((2035, true, true), 56),
            ((55936, false, true), 13), ((55936, true, false), 150), ((55936, true, true), 74),
        ];

        var actual = GreV1Row.Of(PptpDataChannel)
            .CountBy(r => (r.CallId, r.Sequence.HasValue, r.Acknowledgment.HasValue))
            .Select(p => (p.Key, p.Value))
            .Order();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PptpDataChannel_SequenceRangePerCall_MatchesTshark()
    {
        // tshark -r flowcontainer-pptp.pcap -T fields -e gre.key.call_id -e gre.sequence_number
        //   | awk -F'\t' '$2!="" {n[$1]++; if(!($1 in lo)||$2<lo[$1])lo[$1]=$2; if($2>hi[$1])hi[$1]=$2} END {for(c in n) print c, n[c], lo[c], hi[c]}'
        (ushort CallId, int Count, uint Lowest, uint Highest)[] expected = [(2035, 141, 10524, 10740), (55936, 224, 9603, 9826)];

        var actual = GreV1Row.Of(PptpDataChannel)
            .Where(r => r.Sequence.HasValue)
            .GroupBy(r => r.CallId)
            .Select(g => (g.Key, g.Count(), g.Min(r => r.Sequence!.Value), g.Max(r => r.Sequence!.Value)))
            .Order();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PptpLcpConfigureRequest_OnCallZero_MatchesTshark()
    {
        // tshark -r tcpdump-pptp.pcap -Y gre -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e gre.flags_and_version -e gre.key.payload_length -e gre.key.call_id -e gre.sequence_number -e gre.ack_number
        GreV1Row[] expected =
        [
            new(16, 0x03BC, 128, 80, 0x3001, 48, 0, 0, null),
        ];

        Assert.Equal(expected, GreV1Row.Of("tcpdump-pptp.pcap"));
    }

    [Fact]
    public void MixedGreSamples_Version1OverIpv4_MatchTshark()
    {
        // Frame 6 also carries GRE v1, but inside IPv6: RealCaptureTests expects it NotIpv4.
        // tshark -r ppp-GrePackets.pcap -Y 'gre.flags.version == 1 && !ipv6' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e gre.flags_and_version -e gre.key.payload_length -e gre.key.call_id -e gre.sequence_number -e gre.ack_number
        GreV1Row[] expected =
        [
            new(1, 0x067C, 128, 44, 0x3081, 8, 6, 34, 17),
            new(2, 0x0736, 128, 32, 0x2081, 0, 6, null, 26),
        ];

        Assert.Equal(expected, GreV1Row.Of("ppp-GrePackets.pcap"));
    }

    [Fact]
    public void MixedGreSamples_Version0ChecksumKeyAndNesting_MatchTshark()
    {
        // tshark -r ppp-GrePackets.pcap -Y 'gre.flags.version == 0' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e gre.flags_and_version -e gre.proto -e gre.key -e gre.checksum
        GreV0Row[] expected =
        [
            new(3, 0x0001, 64, 52, 0x8000, 0x0800, null, 0x77FF),
            new(4, 0x0001, 64, 63, 0x8000, 0x0800, null, 0x77FF),
            new(5, 0x5F02, 244, 100, 0x0000, 0x0800, null, null),
            new(7, 0x0001, 64, 82, 0x2000, 0x6558, 0x0000FDE8, null),
        ];

        Assert.Equal(expected, GreV0Row.Of("ppp-GrePackets.pcap"));
    }

    [Fact]
    public void Ipv4InGre_Version0Samples_MatchTshark()
    {
        // tshark -r zeek-gre-sample.pcap -Y 'frame.number <= 4 || (frame.number >= 33 && frame.number <= 36)' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e gre.flags_and_version -e gre.proto -e gre.key -e gre.checksum
        GreV0Row[] expected =
        [
            new(1, 0x0000, 255, 108, 0x0000, 0x0800, null, null),
            new(2, 0x0000, 236, 108, 0x0000, 0x0800, null, null),
            new(3, 0x0000, 255, 108, 0x0000, 0x0800, null, null),
            new(4, 0x0000, 236, 108, 0x0000, 0x0800, null, null),
            new(33, 0x0000, 255, 85, 0x0000, 0x0800, null, null),
            new(34, 0x0000, 236, 113, 0x0000, 0x0800, null, null),
            new(35, 0x0000, 255, 85, 0x0000, 0x0800, null, null),
            new(36, 0x0000, 236, 113, 0x0000, 0x0800, null, null),
        ];

        Assert.Equal(expected, GreV0Row.Of("zeek-gre-sample.pcap").Where(r => expected.Any(e => e.Frame == r.Frame)));
    }

    [Fact]
    public void Ipv4InGre_AllFramesPlainVersion0_MatchTshark()
    {
        // tshark -r zeek-gre-sample.pcap -Y gre -E occurrence=f -T fields -e gre.flags_and_version -e gre.proto -e gre.key | sort | uniq -c
        ((int Flags, ushort Protocol, uint? Key) Header, int Count)[] expected = [((0x0000, 0x0800, null), 40)];

        var actual = GreV0Row.Of("zeek-gre-sample.pcap").CountBy(r => (r.FlagsAndVersion, r.ProtocolType, r.Key)).Select(p => (p.Key, p.Value));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CiscoGreWithKey_OuterHeadersOfAllFrames_MatchTshark()
    {
        // tshark -r tcpdump-various_gre.pcap -Y gre -E occurrence=f -T fields -e gre.flags_and_version -e gre.proto -e gre.key | sort | uniq -c
        ((int Flags, ushort Protocol, uint? Key) Header, int Count)[] expected =
        [
            ((0x2000, 0x0000, 0x28), 8), ((0x2000, 0x2000, 0x28), 2), ((0x2000, 0x8909, 0x28), 20),
        ];

        var actual = GreV0Row.Of("tcpdump-various_gre.pcap")
            .CountBy(r => (r.FlagsAndVersion, r.ProtocolType, r.Key))
            .Select(p => (p.Key, p.Value))
            .Order();

        Assert.Equal(expected, actual);
    }
}
