namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>
/// The firewall examples of the VPN Masquerade HOWTO (seed/VPN-Masquerade-HOWTO.txt §3.5, §3.6, §3.9,
/// §3.10) as rule lists. The seed is an OCR of the HOWTO; where a line here differs from the text,
/// the comment beside it says how (line numbers are the seed file's).
/// </summary>
internal static partial class HowtoFirewallExamples
{
    // §3.5 "minimum firewall rules", lines 484-487.
    private static readonly string[] IpfwadmOpenCommon =
    [
        "ipfwadm -F -p deny",
        "ipfwadm -I -a accept -S 10.0.0.0/8 -D 0.0.0.0/0 -W eth0",
        "ipfwadm -O -a accept -S 0.0.0.0/0 -D 10.0.0.0/8 -W eth0",
    ];

    // §3.5 lines 489-491.
    public static readonly string[] IpfwadmOpenPpp0 =
    [
        .. IpfwadmOpenCommon,
        "ipfwadm -F -a accept -m -S 10.0.0.0/8 -D 0.0.0.0/0 -W ppp0",
        "ipfwadm -O -a accept -S 0.0.0.0/0 -D 0.0.0.0/0 -W ppp0",
        "ipfwadm -I -a accept -S 0.0.0.0/0 -D 0.0.0.0/0 -W ppp0",
    ];

    // §3.5 lines 493-496 (496 repeats 495 in the HOWTO; kept).
    public static readonly string[] IpfwadmOpenEth1 =
    [
        .. IpfwadmOpenCommon,
        "ipfwadm -F -a accept -m -S 10.0.0.0/8 -D 0.0.0.0/0 -W eth1",
        "ipfwadm -O -a accept -S 0.0.0.0/0 -D 0.0.0.0/0 -W eth1",
        "ipfwadm -I -a accept -S 0.0.0.0/0 -D 0.0.0.0/0 -W eth1",
        "ipfwadm -I -a accept -S 0.0.0.0/0 -D 0.0.0.0/0 -W eth1",
    ];

    // §3.5 tight set, lines 504-511.
    private static readonly string[] IpfwadmTightCommon =
    [
        "ipfwadm -I -p deny",
        "ipfwadm -O -p deny",
        "ipfwadm -F -p deny",
        "ipfwadm -I -a accept -S 10.0.0.0/8 -D 0.0.0.0/0 -W eth0",
        "ipfwadm -O -a accept -S 0.0.0.0/0 -D 10.0.0.0/8 -W eth0", // 511: "10.0.0/8"
    ];

    // §3.5 lines 513-530, exactly the lines the seed prints for ppp0. It has no -O rules for ppp0 and
    // no "-I ... -P udp ... 500" rule, so as printed it cannot pass ISAKMP (see IpfwadmTightPpp0Completed).
    public static readonly string[] IpfwadmTightPpp0AsPrinted =
    [
        .. IpfwadmTightCommon,
        "ipfwadm -F -a accept -m -P udp -S 10.0.0.2/32 500 -D 199.0.0.1/32 500 -W ppp0",
        // 514 is five commands run together ("-W ppp0ipfwadm", "deny-P", "/32-D"); split and spaced.
        "ipfwadm -F -a accept -m -P tcp -S 10.0.0.2/32 -D 199.0.0.1/32 1723 -W ppp0",
        "ipfwadm -F -a deny -P tcp -S 10.0.0.2/32 -D 199.0.0.1/32 -W ppp0",
        "ipfwadm -F -a deny -P udp -S 10.0.0.2/32 -D 199.0.0.1/32 -W ppp0",
        "ipfwadm -F -a deny -P udp -S 10.0.0.2/32 -D 199.0.0.1/32 -W ppp0", // printed twice in 514; kept
        "ipfwadm -F -a accept -m -P all -S 10.0.0.2/32 -D 199.0.0.1/32 -W ppp0",
        "ipfwadm -I -a accept -P tcp -S 199.0.0.1/32 1723 -D 200.200.200.0/24 -W ppp0",
        "ipfwadm -I -a deny -P tcp -S 199.0.0.1/32 -D 200.200.200.0/24 -W ppp0", // 517-520 joined
        "ipfwadm -I -a deny -P udp -S 199.0.0.1/32 -D 200.200.200.0/24 -W ppp0", // 522-525 joined
        "ipfwadm -I -a accept -P all -S 199.0.0.1/32 -D 200.200.200.0/24 -W ppp0", // 527-530 joined
    ];

    // Not in the seed: the ppp0 set completed by analogy with the eth1 set (lines 550-573), using
    // the 200.200.200.0/24 network the printed ppp0 lines use. Marked "added" below.
    public static readonly string[] IpfwadmTightPpp0Completed =
    [
        .. IpfwadmTightCommon,
        .. IpfwadmTightPpp0AsPrinted[5..11],
        "ipfwadm -O -a accept -P udp -S 200.200.200.0/24 500 -D 199.0.0.1/32 500 -W ppp0", // added
        "ipfwadm -O -a accept -P tcp -S 200.200.200.0/24 -D 199.0.0.1/32 1723 -W ppp0", // added
        "ipfwadm -O -a deny -P tcp -S 200.200.200.0/24 -D 199.0.0.1/32 -W ppp0", // added
        "ipfwadm -O -a deny -P udp -S 200.200.200.0/24 -D 199.0.0.1/32 -W ppp0", // added
        "ipfwadm -O -a accept -P all -S 200.200.200.0/24 -D 199.0.0.1/32 -W ppp0", // added
        "ipfwadm -I -a accept -P udp -S 199.0.0.1/32 500 -D 200.200.200.0/24 500 -W ppp0", // added
        .. IpfwadmTightPpp0AsPrinted[11..],
    ];

    // §3.5 lines 533-574, the permanent-connection (eth1) tight set.
    public static readonly string[] IpfwadmTightEth1 =
    [
        .. IpfwadmTightCommon,
        "ipfwadm -F -a accept -m -P udp -S 10.0.0.2/32 500 -D 199.0.0.1/32 500 -W eth1",
        "ipfwadm -F -a accept -m -P tcp -S 10.0.0.2/32 -D 199.0.0.1/32 1723 -W eth1",
        "ipfwadm -F -a deny -P tcp -S 10.0.0.2/32 -D 199.0.0.1/32 -W eth1", // 536-539 joined; "ethl"
        "ipfwadm -F -a deny -P udp -S 10.0.0.2/32 -D 199.0.0.1/32 -W eth1", // 541-544 joined; "ethl"
        "ipfwadm -F -a accept -m -P all -S 10.0.0.2/32 -D 199.0.0.1/32 -W eth1", // 546-548 joined; "ethl"
        "ipfwadm -O -a accept -P udp -S 200.200.200.200/32 500 -D 199.0.0.1/32 500 -W eth1",
        "ipfwadm -O -a accept -P tcp -S 200.200.200.200/32 -D 199.0.0.1/32 1723 -W eth1",
        "ipfwadm -O -a deny -P tcp -S 200.200.200.200/32 -D 199.0.0.1/32 -W eth1", // 553-556 joined; "ethl"
        "ipfwadm -O -a deny -P udp -S 200.200.200.200/32 -D 199.0.0.1/32 -W eth1", // 558-561 joined; "ethl"
        "ipfwadm -O -a deny -P udp -S 200.200.200.200/32 -D 199.0.0.1/32 -W eth1", // 563-566, printed twice; kept
        "ipfwadm -O -a accept -P all -S 200.200.200.200/32 -D 199.0.0.1/32 -W eth1", // 568-571; "200.200.200/32", "ethl"
        "ipfwadm -I -a accept -P udp -S 199.0.0.1/32 500 -D 200.200.200.200/32 500 -W eth1", // 573: "200.200.200/32"
        // 574 is four commands run together ("accept-P", "deny-P", "/32-D", "/32-W", "ethlipfwadm"); split and spaced.
        "ipfwadm -I -a accept -P tcp -S 199.0.0.1/32 1723 -D 200.200.200.200/32 -W eth1",
        "ipfwadm -I -a deny -P tcp -S 199.0.0.1/32 -D 200.200.200.200/32 -W eth1",
        "ipfwadm -I -a deny -P udp -S 199.0.0.1/32 -D 200.200.200.200/32 -W eth1",
        "ipfwadm -I -a accept -P all -S 199.0.0.1/32 -D 200.200.200.200/32 -W eth1",
    ];


    // §3.9 lines 774-799, comments included. "172" (782-785) is the PPTP port 1723 cut by the margin;
    // 796 "-0" is "-O"; 799 is three commands and five comment lines run together, split; its last
    // command ends "-V 200.200.200", completed as 200.200.200.200.
    public static readonly string[] IpfwadmRegisteredServer =
    [
        "# This section should follow your other firewall rules.",
        "# Specify the acceptable clients explicitly for tighter security.",
        "# Allow the IPsec ISAKMP traffic in and out.",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P udp -S 199.0.0.2/32 500 -D 222.0.0.2/32",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P udp -D 199.0.0.2/32 500 -S 222.0.0.2/32",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P udp -S 199.0.0.3/32 500 -D 222.0.0.2/32",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P udp -D 199.0.0.3/32 500 -S 222.0.0.2/32",
        "# Allow the PPTP control channel in and out.",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P tcp -S 199.0.0.2/32 -D 222.0.0.2/32 1723",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P tcp -D 199.0.0.2/32 -S 222.0.0.2/32 1723",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P tcp -S 199.0.0.3/32 -D 222.0.0.2/32 1723",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P tcp -D 199.0.0.3/32 -S 222.0.0.2/32 1723",
        "# Block all other TCP and UDP traffic from the internet.",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200 -P tcp",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200 -P udp",
        "# Allow the PPTP data channel and IPsec ESP traffic in and out.",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P all -S 199.0.0.2/32 -D 222.0.0.2/32",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P all -D 199.0.0.2/32 -S 222.0.0.2/32",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P all -S 199.0.0.3/32 -D 222.0.0.2/32",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P all -D 199.0.0.3/32 -S 222.0.0.2/32",
        "# Block all other traffic from the internet.",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200",
    ];

    // §3.10 lines 810-829, comments included. "172" (814, 815) is 1723; 822 "\#" is "#".
    public static readonly string[] IpfwadmRegisteredClient =
    [
        "# Allow the IPsec ISAKMP traffic out and in.",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P udp -S 222.0.0.2/32 500 -D 199.0.0.1/32",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P udp -D 222.0.0.2/32 500 -S 199.0.0.1/32",
        "# Allow the PPTP control channel out and in.",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P tcp -S 222.0.0.2/32 -D 199.0.0.1/32 1723",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P tcp -D 222.0.0.2/32 -S 199.0.0.1/32 1723",
        "# Block all other TCP and UDP traffic from the internet.",
        "# This is essentially a \"default deny TCP/UDP\" that",
        "# only applies to the internet interface.",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200 -P tcp",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200 -P udp",
        "# Note that this is too open since we're forced to",
        "# specify \"-P all\" rather than \"-P 47\" or \"-P 50\"...",
        "# Allow the PPTP data channel and IPsec ESP traffic out and in",
        "ipfwadm -O -a accept -W eth1 -V 200.200.200.200 -P all -S 222.0.0.2/32 -D 199.0.0.1/32",
        "ipfwadm -I -a accept -W eth1 -V 200.200.200.200 -P all -D 222.0.0.2/32 -S 199.0.0.1/32",
        "# Block all other traffic from the internet.",
        "ipfwadm -I -a deny -W eth1 -V 200.200.200.200",
    ];
}
