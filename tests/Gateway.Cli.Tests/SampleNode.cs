namespace VpnMasq.Cli.Tests;

/// <summary>Answers as Gateway.Node's ManagementServer writes them (PeerTableView.cs), one of every entry kind.</summary>
internal static class SampleNode
{
    public const string Table = """
        [
          {"peer":"199.0.0.10","owner":"akka.tcp://vpnmasq@10.1.0.2:4053",
           "ports":[],"icmp":[],"isakmp":[],"esp":[],
           "pptp":[{"inside":"10.0.0.4","callId":5,"masqueradedCallId":40001,"peerCallId":null}]},
          {"peer":"199.0.0.9","owner":"akka.tcp://vpnmasq@10.1.0.1:4053",
           "ports":[{"protocol":"tcp","inside":"10.0.0.2:51000","publicPort":61000,"remotePort":443,"state":"established","viaForward":false},
                    {"protocol":"udp","inside":"10.0.0.3:500","publicPort":500,"remotePort":500,"state":null,"viaForward":true}],
           "icmp":[{"inside":"10.0.0.2","id":7,"publicId":40002}],
           "isakmp":[{"inside":"10.0.0.3","insidePort":500,"publicPort":500,"initiatorCookie":"0123456789abcdef","responderCookie":"fedcba9876543210"}],
           "esp":[{"inside":"10.0.0.3","outboundSpi":"c0ffee01","inboundSpi":"0badf00d","outstanding":false},
                  {"inside":"10.0.0.2","outboundSpi":"12345678","inboundSpi":"00000000","outstanding":true}],
           "pptp":[]},
          {"peer":"199.0.0.20","owner":"akka.tcp://vpnmasq@10.1.0.1:4053",
           "ports":[],"icmp":[],"isakmp":[],"esp":[],"pptp":[]}
        ]
        """;

    public const string Counters = """{"drop:no-mapping":3,"forward":120,"drop:esp-init-blocked":1}""";

    public const string Members = """[{"address":"akka.tcp://vpnmasq@10.1.0.1:4053","status":"Up"},{"address":"akka.tcp://vpnmasq@10.1.0.2:4053","status":"Leaving"}]""";
}
