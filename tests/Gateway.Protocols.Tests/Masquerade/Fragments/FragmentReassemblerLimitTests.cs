using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Masquerade.Fragments.FragmentFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

public sealed class FragmentReassemblerLimitTests
{
    private static readonly LimitOptions Limits = new() { FragmentTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void TrainOlderThanFragmentTimeout_Expires()
    {
        var reassembler = new FragmentReassembler(Limits);
        reassembler.Add(Split(IkeMessage(), 576)[0], LinkLength, Now);

        var expired = reassembler.Expire(Now + TimeSpan.FromSeconds(5.001));

        Assert.Equal([new ExpiredTrain(Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp, IkeId, 1)], expired);
        Assert.Equal(0, reassembler.TrainCount);
        Assert.Equal(0, reassembler.HeldBytes);
    }

    [Fact]
    public void TrainWithinFragmentTimeout_IsKept()
    {
        var reassembler = new FragmentReassembler(Limits);
        reassembler.Add(Split(IkeMessage(), 576)[0], LinkLength, Now);

        var expired = reassembler.Expire(Now + TimeSpan.FromSeconds(5));

        Assert.Empty(expired);
        Assert.Equal(1, reassembler.TrainCount);
    }

    [Fact]
    public void ExpiredTrain_CountsEveryHeldFrameIncludingDuplicates()
    {
        var fragments = Split(IkeMessage(), 576);
        var reassembler = new FragmentReassembler(Limits);
        Feed(reassembler, [fragments[0], fragments[0], fragments[1]]);

        var expired = reassembler.Expire(Now + TimeSpan.FromMinutes(1));

        Assert.Equal(3, Assert.Single(expired).FragmentCount);
    }

    [Fact]
    public void Expire_TimesTrainsFromTheirFirstFragment()
    {
        var reassembler = new FragmentReassembler(Limits);
        reassembler.Add(Split(IkeMessage(id: 1), 576)[0], LinkLength, Now);
        reassembler.Add(Split(IkeMessage(id: 2), 576)[0], LinkLength, Now + TimeSpan.FromSeconds(3));
        reassembler.Add(Split(IkeMessage(id: 1), 576)[1], LinkLength, Now + TimeSpan.FromSeconds(4));

        var expired = reassembler.Expire(Now + TimeSpan.FromSeconds(6));

        Assert.Equal(1, Assert.Single(expired).Identification);
    }

    [Fact]
    public void TrainLimitReached_EvictsTheOldestTrain()
    {
        var reassembler = new FragmentReassembler(Limits with { FragmentTrains = 2 });
        reassembler.Add(Split(IkeMessage(id: 1), 576)[0], LinkLength, Now);
        reassembler.Add(Split(IkeMessage(id: 2), 576)[0], LinkLength, Now);

        var result = reassembler.Add(Split(IkeMessage(id: 3), 576)[0], LinkLength, Now);

        Assert.Equal(ReassemblyStatus.Held, result.Status);
        Assert.Equal(1, Assert.Single(result.Evicted).Identification);
        Assert.Equal(1, reassembler.Evictions);
        Assert.Equal(2, reassembler.TrainCount);
    }

    [Fact]
    public void EvictedTrain_NoLongerCompletes()
    {
        var evictedMessage = Split(IkeMessage(id: 1), 1500);
        var reassembler = new FragmentReassembler(Limits with { FragmentTrains = 1 });
        reassembler.Add(evictedMessage[0], LinkLength, Now);
        reassembler.Add(Split(IkeMessage(id: 2), 1500)[0], LinkLength, Now);

        var results = Feed(reassembler, evictedMessage.Skip(1));

        Assert.All(results, r => Assert.Equal(ReassemblyStatus.Held, r.Status));
    }

    [Fact]
    public void TrainOverThePerTrainByteCap_IsInvalid()
    {
        var reassembler = new FragmentReassembler(Limits, maxTrainBytes: 2048);

        var results = Feed(reassembler, Split(IkeMessage(), 576).Take(4));

        Assert.Equal(FragmentError.TrainTooLarge, results[^1].Error);
        Assert.Equal(0, reassembler.TrainCount);
    }

    [Fact]
    public void HeldBytesOverTheTotalCap_EvictOldestTrains()
    {
        var first = Split(IkeMessage(id: 1), 576);
        var second = Split(IkeMessage(id: 2), 576);
        var reassembler = new FragmentReassembler(Limits, maxTrainBytes: 2048, maxHeldBytes: 2048);
        Feed(reassembler, [first[0], first[1], second[0]]);

        var result = reassembler.Add(second[1], LinkLength, Now);

        Assert.Equal(1, Assert.Single(result.Evicted).Identification);
        Assert.Equal(2 * 552, reassembler.HeldBytes);
        Assert.Equal(1, reassembler.Evictions);
    }

    [Fact]
    public void TotalCapBelowThePerTrainCap_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FragmentReassembler(Limits, maxTrainBytes: 4096, maxHeldBytes: 2048));
    }
}
