using CsCheck;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Masquerade.Fragments.FragmentFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

public sealed class FragmentReassemblerTests
{
    [Theory]
    [InlineData(1500)]
    [InlineData(576)]
    public void FragmentedIkeMessage_ReassemblesToOriginal(int mtu)
    {
        var original = IkeMessage();

        var results = Feed(NewReassembler(), Split(original, mtu));

        Assert.All(results[..^1], r => Assert.Equal(ReassemblyStatus.Held, r.Status));
        Assert.Equal(ReassemblyStatus.Complete, results[^1].Status);
        Assert.Equal(original, results[^1].Frame);
    }

    [Fact]
    public void ReassembledIkeMessage_HasValidChecksums()
    {
        var result = Feed(NewReassembler(), Split(IkeMessage(), 576))[^1];

        Assert.True(TransportChecksum.IsValid(result.Frame.AsSpan(LinkLength)));
    }

    [Theory]
    [InlineData(1500)]
    [InlineData(576)]
    public void FragmentsArrivingReversed_ReassembleToOriginal(int mtu)
    {
        var original = IkeMessage();

        var results = Feed(NewReassembler(), Split(original, mtu).Reverse());

        Assert.All(results[..^1], r => Assert.Equal(ReassemblyStatus.Held, r.Status));
        Assert.Equal(original, results[^1].Frame);
    }

    [Fact]
    public void FragmentsInAnyOrder_ReassembleToOriginal()
    {
        var original = IkeMessage();
        var gen = Gen.Int[68, 1500].SelectMany(mtu => Gen.Shuffle(Split(original, mtu).ToArray()));

        gen.Sample(shuffled =>
        {
            var results = Feed(NewReassembler(), shuffled);

            Assert.All(results[..^1], r => Assert.Equal(ReassemblyStatus.Held, r.Status));
            Assert.Equal(original, results[^1].Frame);
        });
    }

    [Fact]
    public void DuplicatedFragments_CompleteOnceEveryFragmentArrived()
    {
        var original = IkeMessage();
        var fragments = Split(original, 576);
        var gen = Gen.Shuffle(fragments.Concat(fragments).ToArray());

        gen.Sample(shuffled =>
        {
            int lastNew = fragments.Max(f => Array.IndexOf(shuffled, f));

            var results = Feed(NewReassembler(), shuffled.Take(lastNew + 1));

            Assert.All(results[..^1], r => Assert.Equal(ReassemblyStatus.Held, r.Status));
            Assert.Equal(original, results[^1].Frame);
        });
    }

    [Fact]
    public void OverlappingFragmentsWithSameData_ReassembleToOriginal()
    {
        var original = IkeMessage();
        var large = Split(original, 1500);
        var small = Split(original, 576);

        var results = Feed(NewReassembler(), [large[0], .. small.Skip(1)]);

        Assert.All(results[..^1], r => Assert.Equal(ReassemblyStatus.Held, r.Status));
        Assert.Equal(original, results[^1].Frame);
    }

    [Fact]
    public void ReassembledFrame_CarriesTheFirstFragmentsLinkHeader()
    {
        var original = IkeMessage();
        var fragments = Split(original, 576)
            .Select((f, i) => i == 0 ? f : WithEthernet(f.AsSpan(LinkLength), sourceMac: 0x0200_0000_0099))
            .Reverse();

        var results = Feed(NewReassembler(), fragments);

        Assert.Equal(original, results[^1].Frame);
    }

    [Fact]
    public void FragmentsOfDatagramsSharingAnIdentification_AreKeptApartBySource()
    {
        var first = IkeMessage(source: Datagrams.Inside);
        var second = IkeMessage(source: Datagrams.Inside + 1);
        var interleaved = Split(first, 1500).Zip(Split(second, 1500)).SelectMany(p => new[] { p.First, p.Second });

        var results = Feed(NewReassembler(), interleaved);

        Assert.Equal(first, results[^2].Frame);
        Assert.Equal(second, results[^1].Frame);
    }

    [Fact]
    public void UnfragmentedDatagram_IsCompleteAsACopy()
    {
        var whole = IkeMessage(totalLength: 400);
        var reassembler = NewReassembler();

        var result = reassembler.Add(whole, LinkLength, Now);

        Assert.Equal(ReassemblyStatus.Complete, result.Status);
        Assert.Equal(whole, result.Frame);
        Assert.Equal(0, reassembler.TrainCount);
    }

    [Fact]
    public void HeldFragments_CountTheirPayloadOnce()
    {
        var fragments = Split(IkeMessage(), 576);
        var reassembler = NewReassembler();

        Feed(reassembler, [fragments[0], fragments[0], fragments[1]]);

        Assert.Equal(2 * 552, reassembler.HeldBytes);
    }
}
