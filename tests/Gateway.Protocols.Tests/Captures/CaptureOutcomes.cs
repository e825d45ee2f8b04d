namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// What every frame of every shared capture should dissect to, as runs of frame numbers
/// (first, last, outcome), derived from tshark's layer list for each frame:
///
///   tshark -r FILE -T fields -e frame.number -e frame.protocols -e ip.frag_offset -e gre.flags.version
///
/// mapped by the gateway's rules: a first network layer other than "ip" (ipv6, arp, stp, loop, …)
/// is NotIpv4; ip:tcp is Tcp; ip:esp Esp; ip:ah Ah; ip:gre is "Gre v" + the outer gre.flags.version;
/// ip:udp:isakmp Isakmp; ip:udp:udpencap:isakmp NatTIsakmp, :udpencap:esp NatTEsp, a bare
/// udpencap NatTKeepalive; other ip:udp Udp. A frame that should fail would read "Status@Layer";
/// none of the 23 captures holds one (see RealCaptureTests for why the suspicious ones do not).
/// </summary>
internal static class CaptureOutcomes
{
    public static readonly IReadOnlyDictionary<string, (int First, int Last, string Outcome)[]> Expected =
        new Dictionary<string, (int First, int Last, string Outcome)[]>
    {
        ["flowcontainer-pptp.pcap"] =
        [
            (1, 402, "Gre v1"),
        ],
        ["ndpi-ipsec_isakmp_esp.pcap"] =
        [
            (1, 6, "NatTIsakmp"), (7, 15, "NatTEsp"), (16, 27, "Isakmp"), (28, 33, "NatTIsakmp"), (34, 41, "NatTEsp"),
            (42, 42, "NatTIsakmp"), (43, 46, "Isakmp"), (47, 52, "NatTIsakmp"), (53, 60, "NatTEsp"),
            (61, 67, "NatTIsakmp"), (68, 75, "NatTEsp"), (76, 76, "NatTIsakmp"), (77, 88, "Isakmp"),
            (89, 94, "NatTIsakmp"), (95, 102, "NatTEsp"), (103, 109, "NatTIsakmp"), (110, 117, "NatTEsp"),
            (118, 118, "NatTIsakmp"), (119, 130, "Isakmp"), (131, 136, "NatTIsakmp"), (137, 144, "NatTEsp"),
            (145, 145, "NatTIsakmp"), (146, 149, "Isakmp"), (150, 155, "NatTIsakmp"), (156, 163, "NatTEsp"),
            (164, 170, "NatTIsakmp"), (171, 179, "NatTEsp"), (180, 191, "Isakmp"), (192, 197, "NatTIsakmp"),
            (198, 205, "NatTEsp"), (206, 206, "NatTIsakmp"), (207, 210, "Isakmp"), (211, 216, "NatTIsakmp"),
            (217, 224, "NatTEsp"), (225, 225, "NatTIsakmp"), (226, 229, "Isakmp"), (230, 235, "NatTIsakmp"),
            (236, 243, "NatTEsp"), (244, 250, "NatTIsakmp"), (251, 259, "NatTEsp"), (260, 271, "Isakmp"),
            (272, 277, "NatTIsakmp"), (278, 285, "NatTEsp"), (286, 286, "NatTIsakmp"), (287, 290, "Isakmp"),
            (291, 296, "NatTIsakmp"), (297, 304, "NatTEsp"), (305, 305, "NatTIsakmp"), (306, 309, "Isakmp"),
            (310, 315, "NatTIsakmp"), (316, 323, "NatTEsp"), (324, 324, "NatTIsakmp"), (325, 328, "Isakmp"),
            (329, 334, "NatTIsakmp"), (335, 342, "NatTEsp"), (343, 343, "NatTIsakmp"), (344, 347, "Isakmp"),
            (348, 353, "NatTIsakmp"), (354, 361, "NatTEsp"), (362, 362, "NatTIsakmp"), (363, 366, "Isakmp"),
            (367, 372, "NatTIsakmp"), (373, 380, "NatTEsp"), (381, 387, "NatTIsakmp"), (388, 395, "NatTEsp"),
            (396, 396, "NatTIsakmp"), (397, 424, "Isakmp"), (425, 430, "NatTIsakmp"), (431, 438, "NatTEsp"),
            (439, 439, "NatTIsakmp"), (440, 486, "Isakmp"), (487, 492, "NatTIsakmp"), (493, 501, "NatTEsp"),
            (502, 505, "Isakmp"), (506, 511, "NatTIsakmp"), (512, 520, "NatTEsp"), (521, 524, "Isakmp"),
            (525, 530, "NatTIsakmp"), (531, 539, "NatTEsp"), (540, 543, "Isakmp"), (544, 549, "NatTIsakmp"),
            (550, 558, "NatTEsp"), (559, 562, "Isakmp"), (563, 568, "NatTIsakmp"), (569, 577, "NatTEsp"),
            (578, 581, "Isakmp"), (582, 587, "NatTIsakmp"), (588, 596, "NatTEsp"), (597, 602, "NatTIsakmp"),
            (603, 611, "NatTEsp"), (612, 655, "Isakmp"), (656, 661, "NatTIsakmp"), (662, 670, "NatTEsp"),
            (671, 676, "NatTIsakmp"), (677, 685, "NatTEsp"), (686, 691, "NatTIsakmp"), (692, 700, "NatTEsp"),
            (701, 720, "Isakmp"), (721, 726, "NatTIsakmp"), (727, 735, "NatTEsp"), (736, 741, "NatTIsakmp"),
            (742, 750, "NatTEsp"), (751, 762, "Isakmp"), (763, 768, "NatTIsakmp"), (769, 777, "NatTEsp"),
            (778, 781, "Isakmp"), (782, 787, "NatTIsakmp"), (788, 796, "NatTEsp"), (797, 800, "Isakmp"),
            (801, 806, "NatTIsakmp"), (807, 815, "NatTEsp"), (816, 819, "Isakmp"), (820, 825, "NatTIsakmp"),
            (826, 834, "NatTEsp"),
        ],
        ["ndpi-pptp.pcap"] =
        [
            (1, 24, "Tcp"),
        ],
        ["ppp-GrePackets.pcap"] =
        [
            (1, 2, "Gre v1"), (3, 5, "Gre v0"), (6, 6, "NotIpv4"), (7, 7, "Gre v0"),
        ],
        ["sv-IKEv2_SA_INIT_2-8-weak.pcap"] =
        [
            (1, 1, "Isakmp"),
        ],
        ["sv-eve-flow-esp.pcap"] =
        [
            (1, 6, "Esp"), (7, 8, "NotIpv4"),
        ],
        ["sv-ikev1-duplicate-proposals-generated.pcap"] =
        [
            (1, 1, "Isakmp"),
        ],
        ["sv-ikev1-isakmp-main-mode.pcap"] =
        [
            (1, 9, "Isakmp"),
        ],
        ["tcpdump-02-sunrise-sunset-esp.pcap"] =
        [
            (1, 8, "Esp"),
        ],
        ["tcpdump-08-sunrise-sunset-esp2.pcap"] =
        [
            (1, 8, "Esp"),
        ],
        ["tcpdump-ISAKMP_sa_setup.pcap"] =
        [
            (1, 9, "Isakmp"),
        ],
        ["tcpdump-espudp1.pcap"] =
        [
            (1, 8, "NatTEsp"),
        ],
        ["tcpdump-ikev2four.pcap"] =
        [
            (1, 21, "Isakmp"),
        ],
        ["tcpdump-ikev2pI2.pcap"] =
        [
            (1, 2, "Isakmp"),
        ],
        ["tcpdump-isakmp4500.pcap"] =
        [
            (1, 2, "NotIpv4"), (3, 6, "Isakmp"), (7, 11, "NatTIsakmp"), (12, 12, "NatTEsp"), (13, 14, "NotIpv4"),
            (15, 16, "NatTIsakmp"), (17, 17, "NatTEsp"), (18, 18, "NatTKeepalive"), (19, 19, "NatTEsp"),
            (20, 21, "NatTIsakmp"), (22, 22, "NatTEsp"), (23, 23, "NatTKeepalive"), (24, 25, "NatTEsp"),
            (26, 27, "NotIpv4"), (28, 28, "NatTKeepalive"), (29, 29, "NatTEsp"), (30, 30, "NatTIsakmp"),
            (31, 31, "NatTEsp"), (32, 33, "NotIpv4"), (34, 34, "NatTKeepalive"), (35, 35, "NatTIsakmp"),
        ],
        ["tcpdump-pptp.pcap"] =
        [
            (1, 15, "Tcp"), (16, 16, "Gre v1"), (17, 23, "Tcp"),
        ],
        ["tcpdump-various_gre.pcap"] =
        [
            (1, 10, "NotIpv4"), (11, 12, "Gre v0"), (13, 15, "NotIpv4"), (16, 17, "Gre v0"), (18, 24, "NotIpv4"),
            (25, 34, "Gre v0"), (35, 40, "NotIpv4"), (41, 42, "Gre v0"), (43, 45, "NotIpv4"), (46, 47, "Gre v0"),
            (48, 48, "NotIpv4"), (49, 49, "Gre v0"), (50, 62, "NotIpv4"), (63, 65, "Gre v0"), (66, 66, "NotIpv4"),
            (67, 67, "Gre v0"), (68, 69, "NotIpv4"), (70, 71, "Gre v0"), (72, 72, "NotIpv4"), (73, 73, "Gre v0"),
            (74, 86, "NotIpv4"), (87, 88, "Gre v0"), (89, 91, "NotIpv4"), (92, 93, "Gre v0"), (94, 100, "NotIpv4"),
        ],
        ["zeek-gre-pptp.pcap"] =
        [
            (1, 2, "NotIpv4"),
        ],
        ["zeek-gre-sample.pcap"] =
        [
            (1, 40, "Gre v0"),
        ],
        ["zeek-ip6_esp.pcap"] =
        [
            (1, 121, "NotIpv4"),
        ],
        ["ndpi-esp.pcapng"] =
        [
            (1, 4, "Isakmp"), (5, 6, "Esp"),
        ],
        ["ppp-ipsec.pcapng"] =
        [
            (1, 1, "Ah"), (2, 2, "NotIpv4"), (3, 3, "Ah"),
        ],
        ["tcpdump-isakmp-no-none-np.pcapng"] =
        [
            (1, 1, "Isakmp"),
        ],
    };
}
