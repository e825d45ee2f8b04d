using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Serialization;
using VpnMasq.Protocols;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Tcp;
using TestFrames = VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Serialization;

public sealed class VpnMasqSerializerTests(VpnMasqSerializerTests.AkkaFixture akka) : IClassFixture<VpnMasqSerializerTests.AkkaFixture>
{
    public sealed class AkkaFixture : IDisposable
    {
        public ActorSystem System { get; } = ActorSystem.Create("serialization", SerializationHocon.Config);

        public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private readonly ActorSystem _system = akka.System;
    // A stopped clock: a deadline written as the time left on it reads back as the very same deadline.
    private readonly VpnMasqSerializer _serializer = new((ExtendedActorSystem)akka.System, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));

    // ---- samples: one per type; every field non-default, and same-typed fields of one type distinct,
    // ---- so a forgotten or swapped field changes the round trip.

    private static TimeSpan At(int n) => TimeSpan.FromTicks(0x0100_0000_0000_0000L + n);

    private static readonly EstablishedFlow FlowA = new(FlowKind.Port, 0x0A000001, 17, 1001, 1002, 1003, 0x1111_2222_3333_4444, 0x5555_6666_7777_8888, true);
    private static readonly EstablishedFlow FlowB = new(FlowKind.Gre, 0x0A000002, 47, 2001, 2002, 2003, 0x0102_0304_0506_0708, 0x0807_0605_0403_0201, true);

    private static readonly PeerSnapshot Snapshot = new(
        0xC6336401, At(100),
        [new PortRow(6, 0x0A000001, 1111, 2222, 3333, true, TcpMappingState.Closing, true, true, At(101)),
         new PortRow(17, 0x0A000002, 4444, 5555, 6666, true, TcpMappingState.Established, true, true, At(102))],
        [new IcmpRow(0x0A000003, 7777, 8888, At(103))],
        [new IsakmpRow(0x0A000004, 0xAAAA_BBBB_CCCC_DDDD, 0x1234_5678_9ABC_DEF0, At(104), At(105))],
        0x0A000005,
        [new EspRow(0x0A000006, 0x11111111, 0x22222222, At(106), At(107), true, 3, true, true)],
        [new EspWaiter(0x0A000007, At(108)), new EspWaiter(0x0A000008, At(109))],
        [new EspRekey(0x0A000009, At(110))],
        0x0A00000A,
        [new PptpRow(0x0A00000B, 1723, 41, 42, 43, At(111), PeerCallIdKnown: true)],
        PortCursor: 12,
        IcmpCursor: 13);

    /// <summary>A dissection with every field non-default and same-typed fields distinct (flags and ICMP type as no frame would combine them).</summary>
    private static readonly Dissection Dissected = new()
    {
        Status = ParseStatus.TooShort, FailedLayer = FrameLayer.Application, Kind = FrameKind.NatTEsp, EtherType = 0x0800,
        NetworkOffset = 14, IpHeaderLength = 24, IpTotalLength = 1400, Protocol = 17, Source = 0x0A00_000E, Destination = 0xC633_640A,
        IpIdentification = 0xBEEF, IsFragment = true, DontFragment = true, TransportOffset = 38, SourcePort = 4500, DestinationPort = 4501,
        TcpFlags = TcpFlags.Syn | TcpFlags.Ack, ApplicationOffset = 46, IcmpType = (IcmpType)42, IcmpIdentifier = 0x4D2,
        QuotedDestination = 0xC633_640B, Spi = 0xC0FF_EE01, InitiatorCookie = 0x0102_0304_0506_0708, ResponderCookie = 0xA1A2_A3A4_A5A6_A7A8,
        IsakmpMajorVersion = 2, GreVersion = 1, GreCallId = 0x1234,
    };

    private static readonly object[] All =
    [
        new PortMapped(At(1), 17, 0x0A000001, 1111, 2222, 3333, true),
        new TcpStateChanged(At(2), 4444, 5555, TcpMappingState.Closing, FinFromInside: true, FinFromRemote: true),
        new PortUnmapped(At(3), 6, 6666, 7777, RemovalCause.Evicted),
        new IcmpMapped(At(4), 0x0A000002, 8888, 9999),
        new IcmpUnmapped(At(5), 1212, RemovalCause.TurnEnded),
        new EspInitStarted(At(6), 0x0A000003, 0xDEADBEEF),
        new EspInitBlocked(At(7), 0x0A000004, 0xFEEDFACE),
        new EspInitRetried(At(8), 0x0A000005, 0xCAFEBABE),
        new EspSpiAssociated(At(9), 0x0A000006, 0x11111111, 0x22222222, true),
        new EspEntryRemoved(At(10), 0x0A000007, 0x33333333, RemovalCause.AddressChanged),
        new IsakmpExchangeStarted(At(11), 0x0A000008, 0x0102_0304_0506_0708),
        new IsakmpResponderLearned(At(12), 0x1111_2222_3333_4444, 0x5555_6666_7777_8888),
        new IsakmpSpeakerChanged(At(13), 0x0A000009),
        new IsakmpExchangeRemoved(At(14), 0x9999_AAAA_BBBB_CCCC, RemovalCause.Closed, 0x0A00000A),
        new PptpCallMapped(At(15), 0x0A00000B, 1723, 41, 42),
        new PptpPeerCallIdLearned(At(16), 43, 44),
        new PptpCallUnmapped(At(17), 45, RemovalCause.Evicted),
        Snapshot,
        new DecideFrame(0xC6336402, [0x45, 0x10, 0x05, 0x14], Dissected, Direction.Inbound, At(20), Deadline.In(TimeSpan.FromSeconds(20), TimeProvider.System)),
        new FrameDecided(
            new Verdict(VerdictAction.Hold, DropReason.TableFull, ProtocolLabel.Gre, 0xC6336403, 0x0A00000C, Side.Outside, true,
                [new OutputFrame([1, 2, 3], Side.Outside), new OutputFrame([4, 5], Side.Outside)]),
            [6, 7, 8, 9], "akka.tcp://vpnmasq@10.0.0.1:4053 ü"),
        new ReportActivity(0xC6336404, [new FlowSeen(FlowA, At(21)), new FlowSeen(FlowB, At(22))]),
        new SweepPeer(0xC6336405, At(23)),
        new GetPeerTable(0xC6336406),
        new PeerTable(Snapshot, "akka.tcp://vpnmasq@10.0.0.2:4053", 0x0102_0304_0506),
        new AnnounceSa(0xC6336407, 0x0A00000D, 0x44444444, 0x55555555, At(24)),
        new AnnounceResult(DropReason.EspParallelRefused),
        new ClosePeer(0xC6336408, At(25)),
        new PeerFlows([FlowA, FlowB]),
        new PublishFlows(0xC6336409, [FlowB, FlowA]),
    ];

    private static readonly Dictionary<string, object> Samples = All.ToDictionary(s => s.GetType().Name);

    public static TheoryData<string> SampleNames => [.. Samples.Keys];

    // ---- coverage: the table, the samples, the bindings and the message types all agree

    [Fact]
    public void Samples_CoverEveryTypeInTheTable() =>
        Assert.Equal(VpnMasqSerializer.Types.Select(t => t.Name).Order(), Samples.Keys.Order());

    [Fact]
    public void Table_CoversEveryEventSnapshotAndMessage()
    {
        var events = typeof(PeerEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PeerEvent)) && !t.IsAbstract);
        // Record classes in the message namespaces, public or internal, except settings (configuration, never sent).
        var messages = typeof(DecideFrame).Assembly.GetTypes()
            .Where(t => t.Namespace is "VpnMasq.Actors.Peers" or "VpnMasq.Actors.Flows" && !t.IsNested && t.IsClass)
            .Where(t => t.GetMethod("<Clone>$") is not null && t != typeof(PeerActorSettings));
        var expected = events.Concat(messages).Append(typeof(PeerSnapshot)).Select(t => t.Name).Order();
        Assert.Equal(expected, VpnMasqSerializer.Types.Select(t => t.Name).Order());
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Akka_PicksVpnMasqSerializer_ForEveryType(string name)
    {
        var serializer = _system.Serialization.FindSerializerFor(Samples[name]);
        Assert.IsType<VpnMasqSerializer>(serializer);
        Assert.Equal(4053, serializer.Identifier);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Samples_SetEveryFieldToANonDefaultValue(string name) =>
        Assert.Empty(DefaultLeaves(Samples[name], name));

    // ---- round trips

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void RoundTrip_KeepsEveryField(string name)
    {
        var sample = Samples[name];
        var back = RoundTrip(sample);
        AssertSame(sample, back, name);
        if (sample is PeerEvent or PeerSnapshot or PeerTable or PeerFlows or SweepPeer or GetPeerTable or AnnounceSa or AnnounceResult or ClosePeer)
            Assert.Equal(sample, back); // record equality where it is value equality (no arrays inside)
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void RoundTrip_ThroughAkkaSerialization(string name)
    {
        var sample = Samples[name];
        var serializer = _system.Serialization.FindSerializerFor(sample);
        var bytes = serializer.ToBinary(sample);
        var back = _system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, sample));
        AssertSame(sample, back, name);
    }

    [Fact]
    public void RoundTrip_KeepsNullAndEmptyExtraFramesApart()
    {
        var none = new FrameDecided(Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Tcp, 1), [], "");
        var empty = none with { Verdict = none.Verdict with { Extra = [] } };
        Assert.Null(((FrameDecided)RoundTrip(none)).Verdict.Extra);
        Assert.Empty(((FrameDecided)RoundTrip(empty)).Verdict.Extra!);
    }

    [Fact]
    public void Dissected_SetsEveryFieldToANonDefaultValue()
    {
        var unset = typeof(Dissection).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => f.GetValue(Dissected)!.Equals(Activator.CreateInstance(f.FieldType)))
            .Select(f => f.Name);

        Assert.Empty(unset);
    }

    [Fact]
    public void DecideFrame_RoundTrip_KeepsEveryFieldOfTheDissection()
    {
        var sample = (DecideFrame)Samples[nameof(DecideFrame)];

        var back = (DecideFrame)RoundTrip(sample);

        Assert.Equal(sample.Dissection, back.Dissection);
    }

    [Fact]
    public void DecideFrame_RoundTrip_OfARealFrame_GivesTheDissectionTheOwnerWouldTake()
    {
        var frame = TestFrames.UdpFrame(0x0A00_0002, 5000, 0xC633_6402, 53, [1, 2, 3]);
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);

        var back = (DecideFrame)RoundTrip(new DecideFrame(0xC6336402, frame, d, Direction.Outbound, At(1)));

        Assert.Equal(FrameDissector.Dissect(LinkType.Ethernet, back.Frame), back.Dissection);
    }

    [Fact]
    public void DecideFrame_Version1_FromANodeNotYetUpgraded_IsDissectedOnReceipt()
    {
        var frame = TestFrames.UdpFrame(0x0A00_0002, 5000, 0xC633_6402, 53, [1, 2, 3]);
        using var w = new PayloadWriter();
        w.Byte(1).UInt32(0xC6336402).Bytes(frame).Enum(Direction.Outbound).Ticks(At(1)).Int64(0);

        var back = (DecideFrame)_serializer.FromBinary(w.ToArray(), "DF");

        Assert.Equal(FrameDissector.Dissect(LinkType.Ethernet, frame), back.Dissection);
        Assert.Equal(frame, back.Frame);
    }

    [Fact]
    public void DecideFrame_Deadline_CrossesAsTheTimeLeft_WhatEverEitherNodesClocksSay()
    {
        var asker = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var owner = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.Zero)); // wall clock an hour behind
        var sent = (DecideFrame)Samples[nameof(DecideFrame)] with { AnswerBy = Deadline.In(TimeSpan.FromSeconds(2), asker) };
        asker.Advance(TimeSpan.FromSeconds(0.5));

        var bytes = new VpnMasqSerializer((ExtendedActorSystem)_system, asker).ToBinary(sent);
        var received = (DecideFrame)new VpnMasqSerializer((ExtendedActorSystem)_system, owner).FromBinary(bytes, "DF");

        Assert.Equal(TimeSpan.FromSeconds(1.5), received.AnswerBy!.Value.Left(owner));
    }

    [Fact]
    public void DecideFrame_DeadlineAlreadyPassed_ArrivesPassed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var sent = (DecideFrame)Samples[nameof(DecideFrame)] with { AnswerBy = Deadline.In(TimeSpan.FromSeconds(-1), clock) };

        var received = (DecideFrame)new VpnMasqSerializer((ExtendedActorSystem)_system, clock).FromBinary(_serializer.ToBinary(sent), "DF");

        Assert.True(received.AnswerBy!.Value.HasPassed(clock));
    }

    [Fact]
    public void DecideFrame_WithoutDeadline_ArrivesWithout()
    {
        var sent = (DecideFrame)Samples[nameof(DecideFrame)] with { AnswerBy = null };

        Assert.Null(((DecideFrame)RoundTrip(sent)).AnswerBy);
    }

    [Fact]
    public void PortMapped_HasPinnedBytes()
    {
        var e = new PortMapped(TimeSpan.FromTicks(0x0102030405060708), 17, 0x0A000001, 0x1234, 80, 61000, true);
        // version | At ticks (LE) | protocol | inside | inside port | remote port | public port | via forward
        const string Pinned = "01" + "0807060504030201" + "11" + "0100000A" + "3412" + "5000" + "48EE" + "01";
        Assert.Equal(Pinned, Convert.ToHexString(_serializer.ToBinary(e)));
        Assert.Equal("PM", _serializer.Manifest(e));
        Assert.Equal(e, _serializer.FromBinary(Convert.FromHexString(Pinned), "PM"));
    }

    [Fact]
    public void Events_RoundTrip_ForAnyFieldValues()
    {
        var ticks = Gen.Long.Select(TimeSpan.FromTicks);
        var gen = Gen.OneOf(
            Gen.Select(ticks, Gen.Byte, Gen.UInt, Gen.UShort, Gen.UShort, Gen.UShort, Gen.Bool, (a, p, i, ip, rp, pp, f) => (PeerEvent)new PortMapped(a, p, i, ip, rp, pp, f)),
            Gen.Select(ticks, Gen.UShort, Gen.UShort, Gen.Enum<TcpMappingState>(), (a, pp, rp, s) => (PeerEvent)new TcpStateChanged(a, pp, rp, s)),
            Gen.Select(ticks, Gen.UInt, Gen.UInt, Gen.UInt, Gen.Bool, (a, i, o, n, b) => (PeerEvent)new EspSpiAssociated(a, i, o, n, b)),
            Gen.Select(ticks, Gen.ULong, Gen.Enum<RemovalCause>(), Gen.UInt, (a, c, r, i) => (PeerEvent)new IsakmpExchangeRemoved(a, c, r, i)),
            Gen.Select(ticks, Gen.UInt, Gen.UShort, Gen.UShort, Gen.UShort, (a, i, p, c, m) => (PeerEvent)new PptpCallMapped(a, i, p, c, m)));
        gen.Sample(e => Equals(e, RoundTrip(e)));
    }

    [Fact]
    public void PublishFlows_RoundTrip_ForAnyFlows()
    {
        var flow = Gen.Select(Gen.Enum<FlowKind>(), Gen.UInt, Gen.Byte, Gen.UShort, Gen.UShort, Gen.UShort, Gen.ULong, Gen.ULong, Gen.Bool,
            (k, i, p, ik, rk, pk, ok, nk, c) => new EstablishedFlow(k, i, p, ik, rk, pk, ok, nk, c));
        Gen.Select(Gen.UInt, flow.Array[0, 20], (peer, flows) => new PublishFlows(peer, flows))
            .Sample(m => RoundTrip(m) is PublishFlows back && back.Peer == m.Peer && back.Flows.SequenceEqual(m.Flows));
    }

    // ---- corrupt payloads

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void FromBinary_EveryTruncation_ThrowsSerializationException(string name)
    {
        var sample = Samples[name];
        var bytes = _serializer.ToBinary(sample);
        string manifest = _serializer.Manifest(sample);
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary(prefix, manifest));
            Assert.Contains(manifest, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void FromBinary_TrailingBytes_ThrowsSerializationException(string name)
    {
        var sample = Samples[name];
        byte[] bytes = [.. _serializer.ToBinary(sample), 0];
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, _serializer.Manifest(sample)));
        Assert.Contains("unexpected bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_UnknownManifest_ThrowsNamingIt()
    {
        var bytes = _serializer.ToBinary(Samples[nameof(PortMapped)]);
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "ZZ"));
        Assert.Contains("'ZZ'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void FromBinary_UnsupportedVersion_Throws(byte version)
    {
        var bytes = _serializer.ToBinary(Samples[nameof(PortMapped)]);
        bytes[0] = version;
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PM"));
        Assert.Contains("version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_UndefinedEnumValue_Throws()
    {
        var bytes = _serializer.ToBinary(Samples[nameof(PortUnmapped)]);
        bytes[^1] = 0xEE; // Cause is the last field
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PU"));
        Assert.Contains(nameof(RemovalCause), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_BoolOtherThanZeroOrOne_Throws()
    {
        var bytes = _serializer.ToBinary(Samples[nameof(PortMapped)]);
        bytes[^1] = 2; // ViaForward is the last field
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PM"));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public void FromBinary_CountBeyondThePayload_ThrowsWithoutAllocating(int count)
    {
        var bytes = _serializer.ToBinary(Samples[nameof(PeerFlows)]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), count); // the count follows the version byte
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PF"));
    }

    [Fact]
    public void FromBinary_OwnerNotUtf8_Throws()
    {
        var bytes = _serializer.ToBinary(Samples[nameof(FrameDecided)]);
        bytes[^1] = 0xFF; // the owner string is the last field
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "FD"));
    }

    [Fact]
    public void ToBinary_UnknownType_Throws() =>
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new PeerActorSettings()));

    // ---- helpers

    private object RoundTrip(object value) => _serializer.FromBinary(_serializer.ToBinary(value), _serializer.Manifest(value));

    // A Dissection is a struct of public fields, compared whole (value equality over every field); that every one of
    // its fields is set in the sample is Dissected_SetsEveryFieldToANonDefaultValue's job.
    private static bool IsLeaf(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(DateTime) || t == typeof(Dissection);

    private static IEnumerable<PropertyInfo> Fields(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);

    /// <summary>Deep, order-sensitive comparison of public properties; lists and arrays element by element.</summary>
    private static void AssertSame(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        if (expected is Deadline sent)
        {
            // A deadline crosses as the time left (DecideFrame): on a running clock it comes back later by the time the
            // trip took, never earlier; on the stopped clock of _serializer, exactly as it was.
            var trip = TimeProvider.System.GetElapsedTime(sent.Timestamp, Assert.IsType<Deadline>(actual).Timestamp);
            Assert.True(trip >= TimeSpan.Zero && trip < TimeSpan.FromSeconds(5), $"{path}: came back {trip} later");
            return;
        }

        if (IsLeaf(expected.GetType()))
        {
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var x = expectedItems.Cast<object?>().ToList();
            var a = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
            Assert.True(x.Count == a.Count, $"{path}: expected {x.Count} items, got {a.Count}");
            for (int i = 0; i < x.Count; i++)
                AssertSame(x[i], a[i], $"{path}[{i}]");
            return;
        }

        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var p in Fields(expected.GetType()))
            AssertSame(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
    }

    /// <summary>Paths of leaves holding their type's default (or empty lists): such a sample could hide a forgotten field.</summary>
    private static IEnumerable<string> DefaultLeaves(object? value, string path)
    {
        if (value is null)
            return [path];
        var type = value.GetType();
        if (IsLeaf(type))
            return value.Equals(type == typeof(string) ? "" : Activator.CreateInstance(type)) ? [path] : [];
        if (value is IEnumerable items)
        {
            var list = items.Cast<object?>().ToList();
            return list.Count == 0 ? [path + " (empty)"] : list.SelectMany((item, i) => DefaultLeaves(item, $"{path}[{i}]"));
        }

        return Fields(type).SelectMany(p => DefaultLeaves(p.GetValue(value), $"{path}.{p.Name}"));
    }
}
