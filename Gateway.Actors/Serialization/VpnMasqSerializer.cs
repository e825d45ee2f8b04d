using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Snapshots;
using E = VpnMasq.Actors.Serialization.PeerEventFormats;
using F = VpnMasq.Actors.Serialization.FlowFormats;
using M = VpnMasq.Actors.Serialization.PeerMessageFormats;

namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Compact binary serializer for everything VpnMasq journals, snapshots, replicates or sends between
/// nodes, so none of it goes through the default JSON serializer (registered by <see cref="SerializationHocon"/>).
/// Every payload is a format version byte, then little-endian fixed-width fields: TimeSpan as ticks (int64),
/// bool as one byte 0/1, enums as their byte, byte[] and UTF-8 strings int32-length-prefixed, lists
/// int32-count-prefixed. A truncated or corrupt payload throws <see cref="SerializationException"/>.
/// </summary>
/// <remarks>
/// Manifests are written into the journal and snapshot store next to every row: a manifest is never
/// renamed, reused or given another type; a retired type keeps its manifest reserved.
/// <code>
///   Persisted events (PeerEvent)        Snapshot            Peer messages           Flows
///   PM PortMapped                       SN PeerSnapshot     DF DecideFrame          PF PeerFlows (DData value)
///   TS TcpStateChanged                                      FD FrameDecided         PB PublishFlows
///   PU PortUnmapped                                         RA ReportActivity
///   IM IcmpMapped                                           SW SweepPeer
///   IU IcmpUnmapped                                         GT GetPeerTable
///   ES EspInitStarted                                       PT PeerTable
///   EB EspInitBlocked                                       AS AnnounceSa
///   ER EspInitRetried                                       AR AnnounceResult
///   EA EspSpiAssociated                                     CP ClosePeer
///   EX EspEntryRemoved
///   KS IsakmpExchangeStarted
///   KR IsakmpResponderLearned
///   KC IsakmpSpeakerChanged
///   KX IsakmpExchangeRemoved
///   CM PptpCallMapped
///   CL PptpPeerCallIdLearned
///   CU PptpCallUnmapped
/// </code>
/// </remarks>
public sealed class VpnMasqSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4053;

    private static readonly PayloadFormat[] Table =
    [
        Format<PortMapped>("PM", E.Write, E.ReadPortMapped),
        Format<TcpStateChanged>("TS", E.Write, E.ReadTcpStateChanged),
        Format<PortUnmapped>("PU", E.Write, E.ReadPortUnmapped),
        Format<IcmpMapped>("IM", E.Write, E.ReadIcmpMapped),
        Format<IcmpUnmapped>("IU", E.Write, E.ReadIcmpUnmapped),
        Format<EspInitStarted>("ES", E.Write, E.ReadEspInitStarted),
        Format<EspInitBlocked>("EB", E.Write, E.ReadEspInitBlocked),
        Format<EspInitRetried>("ER", E.Write, E.ReadEspInitRetried),
        Format<EspSpiAssociated>("EA", E.Write, E.ReadEspSpiAssociated),
        Format<EspEntryRemoved>("EX", E.Write, E.ReadEspEntryRemoved),
        Format<IsakmpExchangeStarted>("KS", E.Write, E.ReadIsakmpExchangeStarted),
        Format<IsakmpResponderLearned>("KR", E.Write, E.ReadIsakmpResponderLearned),
        Format<IsakmpSpeakerChanged>("KC", E.Write, E.ReadIsakmpSpeakerChanged),
        Format<IsakmpExchangeRemoved>("KX", E.Write, E.ReadIsakmpExchangeRemoved),
        Format<PptpCallMapped>("CM", E.Write, E.ReadPptpCallMapped),
        Format<PptpPeerCallIdLearned>("CL", E.Write, E.ReadPptpPeerCallIdLearned),
        Format<PptpCallUnmapped>("CU", E.Write, E.ReadPptpCallUnmapped),
        Format<PeerSnapshot>("SN", PeerSnapshotFormat.Write, PeerSnapshotFormat.Read),
        Format<DecideFrame>("DF", M.Write, M.ReadDecideFrame, M.DecideFrameVersion),
        Format<FrameDecided>("FD", M.Write, M.ReadFrameDecided),
        Format<ReportActivity>("RA", M.Write, M.ReadReportActivity),
        Format<SweepPeer>("SW", M.Write, M.ReadSweepPeer),
        Format<GetPeerTable>("GT", M.Write, M.ReadGetPeerTable),
        Format<PeerTable>("PT", M.Write, M.ReadPeerTable),
        Format<AnnounceSa>("AS", M.Write, M.ReadAnnounceSa),
        Format<AnnounceResult>("AR", M.Write, M.ReadAnnounceResult),
        Format<ClosePeer>("CP", M.Write, M.ReadClosePeer),
        Format<PeerFlows>("PF", F.Write, F.ReadPeerFlows),
        Format<PublishFlows>("PB", F.Write, F.ReadPublishFlows),
    ];

    // ToDictionary throws on a duplicate type or manifest, so a clash fails the first use (and every test).
    private static readonly Dictionary<Type, PayloadFormat> ByType = Table.ToDictionary(f => f.Type);
    private static readonly Dictionary<string, PayloadFormat> ByManifest = Table.ToDictionary(f => f.Manifest, StringComparer.Ordinal);

    private readonly TimeProvider _clock;

    public VpnMasqSerializer(ExtendedActorSystem system)
        : this(system, TimeProvider.System)
    {
    }

    /// <param name="clock">
    /// The monotonic clock deadlines are on (<see cref="Peers.Deadline"/>): a deadline leaves as the time left on it and
    /// arrives as a deadline on the receiving node's clock. The system's PeerActors must use the same clock.
    /// </param>
    internal VpnMasqSerializer(ExtendedActorSystem system, TimeProvider clock)
        : base(system) => _clock = clock;

    public override int Identifier => SerializerId;

    /// <summary>Every type this serializer writes, for tests and bindings.</summary>
    internal static IReadOnlyList<Type> Types { get; } = [.. Table.Select(f => f.Type)];

    public override string Manifest(object o) => FormatOf(o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var format = FormatOf(obj);
        using var writer = new PayloadWriter { Clock = _clock };
        writer.Byte(format.Version);
        format.Write(writer, obj);
        return writer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!ByManifest.TryGetValue(manifest, out var format))
            throw new SerializationException($"Cannot deserialize VpnMasq payload: unknown manifest '{manifest}' ({bytes.Length} bytes).");
        var reader = new PayloadReader(bytes, manifest) { Clock = _clock };
        byte version = reader.Byte();
        if (version == 0 || version > format.Version)
            throw reader.Corrupt($"format version {version} is not one this node reads (1..{format.Version})");
        reader.Version = version;
        var value = format.Read(reader);
        reader.End();
        return value;
    }

    private static PayloadFormat FormatOf(object o) =>
        ByType.TryGetValue(o.GetType(), out var format)
            ? format
            : throw new ArgumentException($"VpnMasqSerializer has no format for {o.GetType()}; add one to its table.", nameof(o));

    private static PayloadFormat<T> Format<T>(string manifest, Action<PayloadWriter, T> write, Func<PayloadReader, T> read, byte version = 1)
        where T : notnull => new(manifest, write, read, version);
}
