using VpnMasq.Protocols.Frames;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// Every prefix (0 .. n-1 bytes) of every frame of every shared capture, through the dissector.
/// A prefix that cuts into the IPv4 datagram must be TooShort — never Malformed, never Ok — and a
/// prefix that still holds the whole datagram (only link padding is cut) must dissect exactly as
/// the full frame does. Frames that are not IPv4 must be TooShort or dissect as the full frame.
/// </summary>
public sealed class TruncationTests
{
    public static TheoryData<string> CaptureFiles => RealCaptureTests.CaptureFiles;

    [Theory]
    [MemberData(nameof(CaptureFiles))]
    public void EveryFramePrefix_IsTooShortUntilTheDatagramEnds_ThenTheFullDissection(string file)
    {
        var failures = new List<string>();
        foreach (var record in SharedCaptures.Read(file))
        {
            var full = FrameDissector.Dissect(record.LinkType, record.Data);
            for (int length = 0; length < record.Data.Length; length++)
            {
                var prefix = FrameDissector.Dissect(record.LinkType, record.Data.AsSpan(0, length));
                if (Judge(full, prefix, length) is { } problem)
                    failures.Add($"{file} frame {record.FrameNumber}, first {length} of {record.Data.Length} bytes: {problem}");
            }
        }

        CaptureAssert.NoProblems(failures);
    }

    private static string? Judge(Dissection full, Dissection prefix, int length)
    {
        bool cutsDatagram = full.Kind != FrameKind.NotIpv4 && length < full.NetworkEnd;
        if (prefix.Status == ParseStatus.TooShort)
            return full.IsOk && full.Kind != FrameKind.NotIpv4 && !cutsDatagram ? "TooShort, yet the whole datagram is there" : null;
        if (!full.IsOk)
            return prefix.Status == ParseStatus.Malformed || prefix.Equals(full) ? null : $"{Outcome(prefix)} from a frame that is {Outcome(full)}";
        if (cutsDatagram)
            return $"{Outcome(prefix)} from a prefix that cuts the datagram (which ends at {full.NetworkEnd})";
        if (!prefix.Equals(full))
            return $"{Outcome(prefix)} differs from the full frame's dissection {Outcome(full)}";
        if (full.Kind != FrameKind.NotIpv4 && (prefix.NetworkEnd > length || prefix.ApplicationOffset > prefix.NetworkEnd || prefix.TransportOffset > prefix.NetworkEnd))
            return $"offsets outside the prefix: network {prefix.NetworkOffset}+{prefix.IpTotalLength}, transport {prefix.TransportOffset}, application {prefix.ApplicationOffset}";
        return null;
    }

    private static string Outcome(Dissection d) => RealCaptureTests.Outcome(d);
}
