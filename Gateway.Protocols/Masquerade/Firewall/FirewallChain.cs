namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>The three built-in chains of Linux 2.2 ipchains (ipfwadm's -I, -F and -O).</summary>
public enum FirewallChain : byte
{
    Input,
    Forward,
    Output,
}
