namespace VpnMasq.Protocols.Frames;

/// <summary>
/// The result of dissecting one frame: offsets into the frame and the fields routing needs.
/// A plain struct of values, so it can be kept after the span it came from is gone.
/// </summary>
public struct Dissection
{
    public ParseStatus Status;

    /// <summary>Where dissection stopped when <see cref="Status"/> is not Ok.</summary>
    public FrameLayer FailedLayer;
    public FrameKind Kind;
    public ushort EtherType;

    /// <summary>Offset of the IPv4 header in the frame.</summary>
    public int NetworkOffset;
    public int IpHeaderLength;

    /// <summary>IPv4 Total Length: the frame may carry padding after it.</summary>
    public int IpTotalLength;
    public byte Protocol;
    public uint Source;
    public uint Destination;
    public ushort IpIdentification;
    public bool IsFragment;

    /// <summary>DF: the sender asks not to be fragmented, and is told the MTU instead (RFC 1191).</summary>
    public bool DontFragment;

    /// <summary>Offset of the transport (or ESP/GRE/AH) header in the frame.</summary>
    public int TransportOffset;
    public ushort SourcePort;
    public ushort DestinationPort;
    public Tcp.TcpFlags TcpFlags;

    /// <summary>Offset of what the transport carries (TCP/UDP data, ISAKMP header, GRE payload).</summary>
    public int ApplicationOffset;

    /// <summary>ICMP type, and the query identifier for query messages.</summary>
    public Icmp.IcmpType IcmpType;
    public ushort IcmpIdentifier;

    /// <summary>ICMP errors: the destination of the quoted datagram (the peer it was sent to).</summary>
    public uint QuotedDestination;

    /// <summary>ESP (raw or UDP-encapsulated) or AH SPI.</summary>
    public uint Spi;
    public ulong InitiatorCookie;
    public ulong ResponderCookie;
    public byte IsakmpMajorVersion;
    public byte GreVersion;

    /// <summary>GRE v1: the Call ID in the key field.</summary>
    public ushort GreCallId;

    public readonly bool IsOk => Status == ParseStatus.Ok;

    /// <summary>End of the IPv4 datagram in the frame.</summary>
    public readonly int NetworkEnd => NetworkOffset + IpTotalLength;
}
