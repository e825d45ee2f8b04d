namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

internal static partial class HowtoFirewallExamples
{
    // §3.6 "minimum ipchains firewall rules", lines 585-588: "__j", "__d", "__i" are "-j", "-d", "-i".
    private static readonly string[] IpchainsOpenCommon =
    [
        "ipchains -P forward DENY",
        "ipchains -A input -j ACCEPT -s 10.0.0.0/8 -d 0.0.0.0/0 -i eth0",
        "ipchains -A output -j ACCEPT -s 0.0.0.0/0 -d 10.0.0.0/8 -i eth0",
    ];

    // §3.6 lines 590, 591 ("__j", "__s", "__d", "__i") and 594.
    public static readonly string[] IpchainsOpenPpp0 =
    [
        .. IpchainsOpenCommon,
        "ipchains -A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0 -i ppp0",
        "ipchains -A output -j ACCEPT -s 0.0.0.0/0 -d 0.0.0.0/0 -i ppp0",
        "ipchains -A input -j ACCEPT -s 0.0.0.0/0 -d 0.0.0.0/0 -i ppp0",
    ];

    // §3.6 lines 596, 597, 599.
    public static readonly string[] IpchainsOpenEth1 =
    [
        .. IpchainsOpenCommon,
        "ipchains -A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0 -i eth1",
        "ipchains -A output -j ACCEPT -s 0.0.0.0/0 -d 0.0.0.0/0 -i eth1",
        "ipchains -A input -j ACCEPT -s 0.0.0.0/0 -d 0.0.0.0/0 -i eth1",
    ];

    // §3.6 tight set, lines 607-612.
    private static readonly string[] IpchainsTightCommon =
    [
        "ipchains -P input DENY",
        "ipchains -P output DENY",
        "ipchains -P forward DENY",
        "ipchains -A input -j ACCEPT -s 10.0.0.0/8 -d 0.0.0.0/0 -i eth0",
        "ipchains -A output -j ACCEPT -s 0.0.0.0/0 -d 10.0.0.0/8 -i eth0",
    ];

    // §3.6 lines 615-641. "-i pp" (615-633) is "-i ppp0", as in 636-641.
    public static readonly string[] IpchainsTightPpp0 =
    [
        .. IpchainsTightCommon,
        "ipchains -A forward -j MASQ -p udp -s 10.0.0.2/32 500 -d 199.0.0.1/32 500 -i ppp0",
        "ipchains -A output -j ACCEPT -p udp -s 200.200.200.0/24 500 -d 199.0.0.1/32 500 -i ppp0",
        "ipchains -A input -j ACCEPT -p udp -s 199.0.0.1/32 500 -d 200.200.200.0/24 500 -i ppp0", // 617: "200.200.0/24"
        "ipchains -A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i ppp0", // 619-623 joined
        "ipchains -A output -j ACCEPT -p 50 -s 200.200.200.0/24 -d 199.0.0.1/32 -i ppp0", // 625-628 joined
        "ipchains -A input -j ACCEPT -p 50 -s 199.0.0.1/32 -d 200.200.200.0/24 -i ppp0", // 630-633 joined
        "ipchains -A forward -j MASQ -p tcp -s 10.0.0.2/32 -d 199.0.0.1/32 1723 -i ppp0",
        "ipchains -A output -j ACCEPT -p tcp -s 200.200.200.0/24 -d 199.0.0.1/32 1723 -i ppp0",
        "ipchains -A input -j ACCEPT -p tcp -s 199.0.0.1/32 1723 -d 200.200.200.0/24 -i ppp0",
        "ipchains -A forward -j MASQ -p 47 -s 10.0.0.2/32 -d 199.0.0.1/32 -i ppp0",
        "ipchains -A output -j ACCEPT -p 47 -s 200.200.200.0/24 -d 199.0.0.1/32 -i ppp0",
        "ipchains -A input -j ACCEPT -p 47 -s 199.0.0.1/32 -d 200.200.200.0/24 -i ppp0",
    ];

    // §3.6 lines 644-671, the permanent-connection (eth1) set. The right margin is cut off in the
    // seed: 644-661 lost their "-i eth1" (646 and 647 keep its leading "-"); it is restored. Lines
    // 649-651 ("-s 100.00.2/32 -d 199.00.01/32") and 657-658 ("d 200.200.200/32 ...") are OCR
    // echoes of the output rule at 653-655 and are left out; EchoedLine649 keeps the first.
    public static readonly string[] IpchainsTightEth1 =
    [
        .. IpchainsTightCommon,
        "ipchains -A forward -j MASQ -p udp -s 10.0.0.2/32 500 -d 199.0.0.1/32 500 -i eth1",
        "ipchains -A output -j ACCEPT -p udp -s 200.200.200.200/32 500 -d 199.0.0.1/32 500 -i eth1",
        "ipchains -A input -j ACCEPT -p udp -s 199.0.0.1/32 500 -d 200.200.200.200/32 500 -i eth1",
        "ipchains -A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1",
        "ipchains -A output -j ACCEPT -p 50 -s 200.200.200.200/32 -d 199.0.0.1/32 -i eth1", // 653-655; "200.200.200/32"
        "ipchains -A input -j ACCEPT -p 50 -s 199.0.0.1/32 -d 200.200.200.200/32 -i eth1", // 660-661 joined
        "ipchains -A forward -j MASQ -p tcp -s 10.0.0.2/32 -d 199.0.0.1/32 1723 -i eth1", // 665 then 664
        "ipchains -A output -j ACCEPT -p tcp -s 200.200.200.200/32 -d 199.0.0.1/32 1723 -i eth1",
        "ipchains -A input -j ACCEPT -p tcp -s 199.0.0.1/32 1723 -d 200.200.200.200/32 -i eth1",
        "ipchains -A forward -j MASQ -p 47 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1",
        "ipchains -A output -j ACCEPT -p 47 -s 200.200.200.200/32 -d 199.0.0.1/32 -i eth1", // 669-670 joined; "ethl"
        "ipchains -A input -j ACCEPT -p 47 -s 199.0.0.1/32 -d 200.200.200.200/32 -i eth1",
    ];

    // §3.6 644, 645, 653-655 and 660-661 exactly as far as the seed prints them (no interface).
    public static readonly string[] IpchainsEth1LinesWithoutInterface =
    [
        "ipchains -A forward -j MASQ -p udp -s 10.0.0.2/32 500 -d 199.0.0.1/32 500",
        "ipchains -A output -j ACCEPT -p udp -s 200.200.200.200/32 500 -d 199.0.0.1/32 500",
        "ipchains -A output -j ACCEPT -p 50 -s 200.200.200.200/32 -d 199.0.0.1/32", // "200.200.200/32"
        "ipchains -A input -j ACCEPT -p 50 -s 199.0.0.1/32 -d 200.200.200.200/32",
    ];

    // §3.6 649-651 joined, as printed.
    public const string EchoedLine649 = "ipchains -A output -j ACCEPT -p 50 -s 100.00.2/32 -d 199.00.01/32";
}
