using System.Text.Json;

namespace VpnMasq.Cli.Tests;

public sealed class TableRenderingTests
{
    private static List<PeerView> Peers(string json) => JsonSerializer.Deserialize<List<PeerView>>(json, JsonSerializerOptions.Web)!;

    [Fact]
    public void Peers_OneRowPerEntry_AlignedAndSortedByPeerAddress()
    {
        string text = TableRendering.Peers(Peers(SampleNode.Table), filtered: false);

        Assert.Equal(
            """
            PEER        PROTO   INSIDE          DETAILS                                                 OWNER
            199.0.0.9   tcp     10.0.0.2:51000  public 61000 remote 443 established                     10.1.0.1:4053
            199.0.0.9   udp     10.0.0.3:500    public 500 remote 500 (port forward)                    10.1.0.1:4053
            199.0.0.9   icmp    10.0.0.2        id 7 public 40002                                       10.1.0.1:4053
            199.0.0.9   isakmp  10.0.0.3:500    public 500 init 0123456789abcdef resp fedcba9876543210  10.1.0.1:4053
            199.0.0.9   esp     10.0.0.3        out c0ffee01 in 0badf00d                                10.1.0.1:4053
            199.0.0.9   esp     10.0.0.2        out 12345678 in - (awaiting reply)                      10.1.0.1:4053
            199.0.0.10  pptp    10.0.0.4        call 5 public 40001 remote -                            10.1.0.2:4053
            199.0.0.20  -       -               no mappings                                             10.1.0.1:4053

            """,
            text);
    }

    [Fact]
    public void Peers_NoneAtAll_SaysNoEntries() =>
        Assert.Equal("no entries\n", TableRendering.Peers([], filtered: false));

    [Fact]
    public void Peers_NoneLeftByFilter_SaysNoMatchingEntries() =>
        Assert.Equal("no matching entries\n", TableRendering.Peers([], filtered: true));

    [Fact]
    public void Peers_MissingEntryLists_ReadAsEmpty()
    {
        string text = TableRendering.Peers(Peers("""[{"peer":"199.0.0.1","owner":"akka.tcp://vpnmasq@10.1.0.1:4053"}]"""), filtered: false);

        Assert.Equal("PEER       PROTO  INSIDE  DETAILS      OWNER\n199.0.0.1  -      -       no mappings  10.1.0.1:4053\n", text);
    }

    [Fact]
    public void Counters_SortedByName_CountsRightAligned()
    {
        var counters = JsonSerializer.Deserialize<Dictionary<string, long>>(SampleNode.Counters)!;

        Assert.Equal(
            """
            COUNTER                COUNT
            drop:esp-init-blocked      1
            drop:no-mapping            3
            forward                  120

            """,
            TableRendering.Counters(counters));
    }

    [Fact]
    public void Members_ShowHostAndPortOfEachNode()
    {
        var members = JsonSerializer.Deserialize<List<MemberView>>(SampleNode.Members, JsonSerializerOptions.Web)!;

        Assert.Equal("NODE           STATUS\n10.1.0.1:4053  Up\n10.1.0.2:4053  Leaving\n", TableRendering.Members(members));
    }
}
