using CsCheck;
using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Tests.Pptp;

public sealed class PptpControlFieldsTests
{
    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void ParseOfWriteTo_EachTypeWithRandomCallIds_GivesBackTheFields(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        Gen.Select(Gen.UShort, Gen.UShort)
            .Select(t => new PptpControlFields(type, callIdOffset >= 0 ? t.Item1 : (ushort)0, peerCallIdOffset >= 0 ? t.Item2 : (ushort)0))
            .Sample(fields =>
            {
                var bytes = new byte[length];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, PptpControlMessage.Parse(bytes, out var message));
                Assert.Equal(fields, PptpControlFields.From(message));
            }, iter: 30);
    }

    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void WriteTo_EachType_MatchesTheMessageBuiltByHand(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        var bytes = new byte[length];
        new PptpControlFields(type, 0xC0DE, 0xBEEF).WriteTo(bytes);

        Assert.Equal(Rfc2637.Message(type, length, callIdOffset, 0xC0DE, peerCallIdOffset, 0xBEEF), bytes);
    }

    [Fact]
    public void Length_KnownType_IsItsFixedSize() => Assert.Equal(220, new PptpControlFields(PptpControlType.IncomingCallRequest).Length);

    [Fact]
    public void WriteTo_UnknownType_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new PptpControlFields((PptpControlType)16).WriteTo(new byte[256]));
    }
}
