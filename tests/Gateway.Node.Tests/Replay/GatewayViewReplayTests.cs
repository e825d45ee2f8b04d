using SharpPcap;
using SharpPcap.LibPcap;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>
/// Real captures seen from the gateway: the client's frames as captured inside, the server's
/// replies re-addressed to the public address as they would arrive outside. Then real IKE, ESP
/// and PPTP implementations' traffic must pass the gateway both ways.
/// </summary>
public sealed class GatewayViewReplayTests
{
    private static readonly uint Public = Ipv4Address.Parse("200.200.200.200");

    [Theory]
    [InlineData("sv-ikev1-isakmp-main-mode.pcap", "192.168.12.1", 9)]
    [InlineData("ndpi-esp.pcapng", "10.2.3.2", 6)]
    [InlineData("tcpdump-ISAKMP_sa_setup.pcap", "10.0.0.1", 9)]
    [InlineData("ndpi-pptp.pcap", "192.168.43.22", 24)]
    public void RealVpnSession_PassesTheGatewayBothWays(string capture, string client, int frames)
    {
        using var temp = new TempFile();
        int written = GatewayView(Path.Combine(RepositoryPaths.SharedCaptures, capture), Ipv4Address.Parse(client), temp.Path);
        var options = ReplayHarness.Options() with { Inside = [new Cidr(Ipv4Address.Parse(client), 32)] };

        using var replay = new ReplayHarness().Run(temp.Path, options);

        Assert.Equal(frames, written);
        Assert.All(replay.Events, e => Assert.Equal("forward", e.GetProperty("action").GetString()));
        var sent = replay.Output.Select(f => FrameDissector.Dissect(LinkType.Ethernet, f)).ToList();
        Assert.All(sent.Where(d => d.Destination != Ipv4Address.Parse(client)), d => Assert.Equal(Public, d.Source));
    }

    private static int GatewayView(string input, uint client, string output)
    {
        using var reader = new CaptureFileReaderDevice(input);
        reader.Open();
        using var writer = new CaptureFileWriterDevice(output, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = PacketDotNet.LinkLayers.Ethernet });
        int count = 0;
        while (reader.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var frame = capture.Data.ToArray();
            var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
            if (d.IsOk && d.Destination == client)
                PacketRewriter.SetDestinationAddress(frame.AsSpan(d.NetworkOffset, d.IpTotalLength), Public);
            writer.Write(new RawCapture(PacketDotNet.LinkLayers.Ethernet, capture.Header.Timeval, frame));
            count++;
        }

        return count;
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }
}
