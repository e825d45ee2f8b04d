namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>A rule's source or destination network, optionally negated ("-s ! 10.0.0.0/8"). <c>default</c> matches any address.</summary>
public readonly record struct AddressMatch(Cidr Network, bool Negated = false)
{
    public static AddressMatch Any => default;

    public bool Matches(uint address) => Network.Contains(address) != Negated;

    public override string ToString() => Negated ? $"! {Network}" : Network.ToString();
}
