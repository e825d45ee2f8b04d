using Akka.Actor;
using VpnMasq.Actors.Serialization;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>Serializes a message as a remote node or a journal would, and reads it back.</summary>
internal static class RoundTrip
{
    /// <summary>The copy of <paramref name="message"/> that comes out of VpnMasq's serializer; fails when another serializer is bound.</summary>
    public static object Through(ActorSystem system, object message)
    {
        var serialization = system.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<VpnMasqSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }

    /// <summary>Asserts every message comes back equal to itself.</summary>
    public static void AssertSurvives(ActorSystem system, IEnumerable<object> messages)
    {
        foreach (var message in messages)
            Assert.Equal(message, Through(system, message));
    }
}
