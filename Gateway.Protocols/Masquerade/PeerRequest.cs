using VpnMasq.Protocols.Frames;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// A frame the gateway front has passed to a peer's decision: the frame (a reassembled datagram when
/// <see cref="Reassembled"/>), its dissection, direction and remote peer.
/// </summary>
public readonly record struct PeerRequest(byte[] Frame, Dissection Dissection, Direction Direction, uint Peer, bool Reassembled);
