using Akka.Actor;
using Akka.Coordination;
using Akka.Event;
using Npgsql;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// A lease in the PostgreSQL database the nodes already share for their journal, for the split-brain
/// resolver's lease-majority strategy. Two-node gateways need it (DESIGN §1): keep-majority breaks a
/// 1–1 tie for the lowest address and keep-oldest for the oldest node, so either way the survivor of
/// one particular crash would down itself. With a lease, whichever side can reach the database and
/// take the lease keeps running — the survivor of a crash, and exactly one side of a partition.
/// </summary>
public sealed class PostgresLease : Lease
{
    private readonly string _connectionString;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _operationTimeout;
    private readonly Lock _gate = new();
    private Timer? _heartbeat;
    private DateTime _heldUntil;
    private Action<Exception>? _lost;

    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system)
        : base(settings)
    {
        _connectionString = settings.LeaseConfig.GetString("connection-string")
            ?? throw new ArgumentException("lease config needs connection-string", nameof(settings));
        _ttl = settings.TimeoutSettings.HeartbeatTimeout;
        _operationTimeout = settings.TimeoutSettings.OperationTimeout;
        System = system;
    }

    private ExtendedActorSystem System { get; }

    public override Task<bool> Acquire() => Acquire(null!);

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        bool acquired = await TakeOrRenew().ConfigureAwait(false);
        if (!acquired)
            return false;
        lock (_gate)
        {
            _lost = leaseLostCallback;
            _heartbeat ??= new Timer(_ => _ = Heartbeat(), null, Settings.TimeoutSettings.HeartbeatInterval, Settings.TimeoutSettings.HeartbeatInterval);
        }

        return true;
    }

    public override async Task<bool> Release()
    {
        lock (_gate)
        {
            _heartbeat?.Dispose();
            _heartbeat = null;
            _heldUntil = DateTime.MinValue;
        }

        await using var db = await Open().ConfigureAwait(false);
        await using var delete = new NpgsqlCommand("DELETE FROM vpnmasq_lease WHERE name = @name AND owner = @owner", db);
        delete.Parameters.AddWithValue("name", Settings.LeaseName);
        delete.Parameters.AddWithValue("owner", Settings.OwnerName);
        await delete.ExecuteNonQueryAsync().ConfigureAwait(false);
        return true;
    }

    public override bool CheckLease()
    {
        lock (_gate)
            return DateTime.UtcNow < _heldUntil;
    }

    private async Task Heartbeat()
    {
        try
        {
            if (!await TakeOrRenew().ConfigureAwait(false))
                throw new LeaseException($"lease {Settings.LeaseName} was taken by another node");
        }
        catch (Exception e) when (e is NpgsqlException or LeaseException or TimeoutException)
        {
            Action<Exception>? lost;
            lock (_gate)
                lost = _lost;
            System.Log.Warning("split-brain lease {0}: {1}", Settings.LeaseName, e.Message);
            lost?.Invoke(e);
        }
    }

    /// <summary>Takes the lease when it is free or expired, or renews it when this node holds it.</summary>
    private async Task<bool> TakeOrRenew()
    {
        var started = DateTime.UtcNow;
        await using var db = await Open().ConfigureAwait(false);
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS vpnmasq_lease (name text PRIMARY KEY, owner text NOT NULL, expires timestamptz NOT NULL)", db))
        {
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var take = new NpgsqlCommand(
            """
            INSERT INTO vpnmasq_lease (name, owner, expires) VALUES (@name, @owner, now() + @ttl)
            ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires = EXCLUDED.expires
              WHERE vpnmasq_lease.owner = EXCLUDED.owner OR vpnmasq_lease.expires < now()
            RETURNING owner
            """, db);
        take.Parameters.AddWithValue("name", Settings.LeaseName);
        take.Parameters.AddWithValue("owner", Settings.OwnerName);
        take.Parameters.AddWithValue("ttl", _ttl);
        bool held = await take.ExecuteScalarAsync().ConfigureAwait(false) is string owner && owner == Settings.OwnerName;
        lock (_gate)
            _heldUntil = held ? started + _ttl : DateTime.MinValue;
        return held;
    }

    private async Task<NpgsqlConnection> Open()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = Math.Max(1, (int)_operationTimeout.TotalSeconds) };
        var db = new NpgsqlConnection(builder.ConnectionString);
        await db.OpenAsync().ConfigureAwait(false);
        return db;
    }
}
