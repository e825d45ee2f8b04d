// A throwaway database on the tests' PostgreSQL server (scripts/start-postgres.sh).
// Linked into test projects with <Compile Include="..\Shared\PostgresDatabase.cs" />;
// depends on Npgsql only.
using System.Text;
using Npgsql;

namespace VpnMasq.Tests.Shared;

/// <summary>
/// A freshly created, uniquely named database, dropped again on <see cref="DisposeAsync"/>.
/// The server comes from <c>VPNMASQ_TEST_POSTGRES</c> or, when that is unset, from the file
/// scripts/start-postgres.sh writes. Without either it throws: tests fail, never skip.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The environment variable scripts/test.sh sets to the server's connection string.</summary>
    public const string EnvironmentVariable = "VPNMASQ_TEST_POSTGRES";

    /// <summary>Where scripts/start-postgres.sh leaves the same connection string.</summary>
    public const string ConnectionStringFile = "/var/tmp/vpnmasq-pg/connection-string";

    private const int MaxIdentifierLength = 63; // PostgreSQL's NAMEDATALEN - 1

    private readonly string serverConnectionString;
    private int disposed;

    private PostgresDatabase(string serverConnectionString, string name, string connectionString)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name: the sanitized prefix, an underscore and a random suffix.</summary>
    public string Name { get; }

    /// <summary>Connection string for this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a new empty database whose name starts with <paramref name="prefix"/>.</summary>
    public static async Task<PostgresDatabase> CreateAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var server = ServerConnectionString();
        var name = UniqueName(prefix);
        await ExecuteAsync(server, $"CREATE DATABASE {Quote(name)}", cancellationToken).ConfigureAwait(false);
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new PostgresDatabase(server, name, builder.ConnectionString);
    }

    /// <summary>
    /// The tests' server connection string (database <c>postgres</c>); throws
    /// <see cref="InvalidOperationException"/> when no server has been set up.
    /// </summary>
    public static string ServerConnectionString()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        if (File.Exists(ConnectionStringFile))
        {
            var fromFile = File.ReadAllText(ConnectionStringFile).Trim();
            if (fromFile.Length > 0)
            {
                return fromFile;
            }
        }

        throw new InvalidOperationException(
            $"No PostgreSQL server for tests: {EnvironmentVariable} is not set and {ConnectionStringFile} " +
            "does not exist or is empty. Run scripts/start-postgres.sh (as root) first, or run the tests " +
            "through scripts/test.sh, which does.");
    }

    /// <summary>Drops the database, closing any connections still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Pooled idle connections would otherwise be killed by FORCE and linger broken in the pool.
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteAsync(serverConnectionString, $"DROP DATABASE IF EXISTS {Quote(Name)} WITH (FORCE)", CancellationToken.None)
            .ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (NpgsqlException e)
        {
            var host = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
            throw new InvalidOperationException(
                $"PostgreSQL for tests failed on `{sql}` ({host.ConnectionString}): {e.Message}. " +
                "Is the server running? scripts/start-postgres.sh (as root) starts it.", e);
        }
    }

    private static string UniqueName(string prefix)
    {
        var suffix = "_" + Guid.NewGuid().ToString("N")[..12];
        var name = new StringBuilder();
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, "db_");
        }

        if (name.Length > MaxIdentifierLength - suffix.Length)
        {
            name.Length = MaxIdentifierLength - suffix.Length;
        }

        return name.Append(suffix).ToString();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
