namespace VpnMasq.Protocols;

/// <summary>Outcome of parsing one layer of untrusted wire data.</summary>
public enum ParseStatus : byte
{
    /// <summary>The bytes hold a well-formed header of this kind.</summary>
    Ok = 0,

    /// <summary>The buffer ends before the header (or a length field it declares) does.</summary>
    TooShort,

    /// <summary>The bytes are present but contradict themselves or the protocol (bad IHL, wrong magic, …).</summary>
    Malformed,

    /// <summary>Well-formed, but a variant this layer does not decode (e.g. IPv6, GRE version 2).</summary>
    Unsupported,
}
