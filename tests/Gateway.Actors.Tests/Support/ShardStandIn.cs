using Akka.Actor;
using Akka.Cluster.Sharding;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>
/// Parent of one entity, standing in for its Shard: it starts the child and reports the child's requests to
/// passivate to <c>reportTo</c>, in the order they arrive among whatever else <c>reportTo</c> receives.
/// </summary>
internal sealed class ShardStandIn : ReceiveActor
{
    public ShardStandIn(Props child, IActorRef reportTo)
    {
        var entity = Context.ActorOf(child, "entity");
        reportTo.Tell(new EntityStarted(entity));
        Receive<Passivate>(_ => reportTo.Tell(PassivateRequested.Instance));
    }

    public static Props Props(Props child, IActorRef reportTo) => Akka.Actor.Props.Create(() => new ShardStandIn(child, reportTo));

    /// <summary>Test plumbing only, never sent between nodes.</summary>
    public sealed record EntityStarted(IActorRef Entity) : INoSerializationVerificationNeeded;

    public sealed class PassivateRequested : INoSerializationVerificationNeeded
    {
        public static readonly PassivateRequested Instance = new();
    }
}
