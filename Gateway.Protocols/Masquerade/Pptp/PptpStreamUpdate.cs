namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>Where a PPTP control connection's stream reader stands after a decision read one of its segments.</summary>
internal sealed record PptpStreamUpdate((uint Inside, ushort InsidePort, ushort RemotePort) Connection, PptpControlConnection Reader);
