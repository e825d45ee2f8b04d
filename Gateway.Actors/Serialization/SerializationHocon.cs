namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Registers <see cref="VpnMasqSerializer"/> for everything VpnMasq persists or sends between nodes.
/// Concrete events are covered by the <c>PeerEvent</c> base binding; every other type is bound on its own.
/// A type added to the serializer's table needs its binding here too (a test checks both agree).
/// </summary>
public static class SerializationHocon
{
    public const string Config = """
        akka.actor {
          serializers {
            vpnmasq = "VpnMasq.Actors.Serialization.VpnMasqSerializer, Gateway.Actors"
          }
          serialization-identifiers {
            "VpnMasq.Actors.Serialization.VpnMasqSerializer, Gateway.Actors" = 4053
          }
          serialization-bindings {
            "VpnMasq.Protocols.Masquerade.Events.PeerEvent, Gateway.Protocols" = vpnmasq
            "VpnMasq.Protocols.Masquerade.Snapshots.PeerSnapshot, Gateway.Protocols" = vpnmasq
            "VpnMasq.Actors.Peers.DecideFrame, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.FrameDecided, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.ReportActivity, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.SweepPeer, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.GetPeerTable, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.PeerTable, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.AnnounceSa, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.AnnounceResult, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Peers.ClosePeer, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Flows.PeerFlows, Gateway.Actors" = vpnmasq
            "VpnMasq.Actors.Flows.PublishFlows, Gateway.Actors" = vpnmasq
          }
        }
        """;
}
