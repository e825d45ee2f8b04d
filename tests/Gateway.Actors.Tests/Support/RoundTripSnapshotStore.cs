using Akka.Persistence;
using Akka.Persistence.TestKit;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>
/// The TestKit's in-memory snapshot store, but what it keeps is the snapshot after a trip through the
/// serializer the system binds to it: recovering from it proves snapshots survive serialization.
/// </summary>
public sealed class RoundTripSnapshotStore : TestSnapshotStore
{
    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default) =>
        base.SaveAsync(metadata, RoundTrip.Through(Context.System, snapshot), cancellationToken);
}
