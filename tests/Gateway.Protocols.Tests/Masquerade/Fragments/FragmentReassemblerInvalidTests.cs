using System.Buffers.Binary;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Fragments;
using static VpnMasq.Protocols.Tests.Masquerade.Fragments.FragmentFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

public sealed class FragmentReassemblerInvalidTests
{
    [Fact]
    public void OverlapWithConflictingData_IsInvalid()
    {
        var reassembler = NewReassembler();
        reassembler.Add(Fragment(0, more: true, Pattern(16, seed: 1)), LinkLength, Now);

        var result = reassembler.Add(Fragment(8, more: true, Pattern(16, seed: 2)), LinkLength, Now);

        Assert.Equal(ReassemblyStatus.Invalid, result.Status);
        Assert.Equal(FragmentError.Overlap, result.Error);
    }

    [Fact]
    public void InvalidFragment_DiscardsItsTrainWithEveryHeldFragment()
    {
        var reassembler = NewReassembler();
        Feed(reassembler, [Fragment(0, more: true, Pattern(16, seed: 1)), Fragment(16, more: true, Pattern(16, seed: 1))]);

        var result = reassembler.Add(Fragment(8, more: true, Pattern(16, seed: 2)), LinkLength, Now);

        Assert.Equal(new ExpiredTrain(Support.Datagrams.Inside, Support.Datagrams.Remote, IpProtocol.Udp, IkeId, 2), result.Discarded);
        Assert.Equal(0, reassembler.TrainCount);
        Assert.Equal(0, reassembler.HeldBytes);
    }

    [Fact]
    public void NonLastFragmentNotMultipleOf8_IsInvalid()
    {
        var result = NewReassembler().Add(Fragment(0, more: true, Pattern(20, seed: 1)), LinkLength, Now);

        Assert.Equal(FragmentError.Misaligned, result.Error);
    }

    [Fact]
    public void FragmentEndingBeyond65535_IsInvalid()
    {
        var result = NewReassembler().Add(Fragment(65528, more: false, Pattern(16, seed: 1)), LinkLength, Now);

        Assert.Equal(FragmentError.TooLong, result.Error);
    }

    [Fact]
    public void FirstFragmentWhoseOptionsPushTheDatagramPast65535_IsInvalid()
    {
        var reassembler = NewReassembler();
        Assert.Equal(ReassemblyStatus.Held, reassembler.Add(Fragment(65504, more: false, Pattern(8, seed: 1)), LinkLength, Now).Status);

        var result = reassembler.Add(Fragment(0, more: true, Pattern(8, seed: 1), options: new byte[20]), LinkLength, Now);

        Assert.Equal(FragmentError.TooLong, result.Error);
    }

    [Fact]
    public void SecondLastFragmentWithAnotherEnd_IsInvalid()
    {
        var reassembler = NewReassembler();
        reassembler.Add(Fragment(64, more: false, Pattern(8, seed: 1)), LinkLength, Now);

        var result = reassembler.Add(Fragment(64, more: false, Pattern(16, seed: 1)), LinkLength, Now);

        Assert.Equal(FragmentError.InconsistentLength, result.Error);
    }

    [Fact]
    public void FragmentPastTheLastFragmentsEnd_IsInvalid()
    {
        var reassembler = NewReassembler();
        reassembler.Add(Fragment(64, more: false, Pattern(8, seed: 1)), LinkLength, Now);

        var result = reassembler.Add(Fragment(72, more: true, Pattern(8, seed: 1)), LinkLength, Now);

        Assert.Equal(FragmentError.InconsistentLength, result.Error);
    }

    [Fact]
    public void LastFragmentEndingBeforeHeldData_IsInvalid()
    {
        var reassembler = NewReassembler();
        reassembler.Add(Fragment(64, more: true, Pattern(8, seed: 1)), LinkLength, Now);

        var result = reassembler.Add(Fragment(32, more: false, Pattern(8, seed: 1)), LinkLength, Now);

        Assert.Equal(FragmentError.InconsistentLength, result.Error);
    }

    [Fact]
    public void EmptyFragment_IsInvalid()
    {
        var result = NewReassembler().Add(Fragment(64, more: true, []), LinkLength, Now);

        Assert.Equal(FragmentError.InconsistentLength, result.Error);
    }

    [Fact]
    public void EveryTruncatedFragment_IsMalformedWithoutThrowing()
    {
        var fragment = Fragment(0, more: true, Pattern(64, seed: 1));
        var reassembler = NewReassembler();

        for (int length = 0; length < fragment.Length; length++)
            Assert.Equal(FragmentError.Malformed, reassembler.Add(fragment.AsSpan(0, length), LinkLength, Now).Error);
    }

    [Fact]
    public void FragmentWithBadHeaderChecksum_IsMalformed()
    {
        var fragment = Fragment(0, more: true, Pattern(64, seed: 1));
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(LinkLength + 10), 0xBEEF);

        var result = NewReassembler().Add(fragment, LinkLength, Now);

        Assert.Equal(FragmentError.Malformed, result.Error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void NetworkOffsetOutsideTheFrame_IsMalformed(int networkOffset)
    {
        var result = NewReassembler().Add(Fragment(0, more: true, Pattern(64, seed: 1)), networkOffset, Now);

        Assert.Equal(FragmentError.Malformed, result.Error);
    }
}
