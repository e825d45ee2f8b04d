using Microsoft.Data.Sqlite;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// The single-node journal file. Write-ahead logging lets the many actors that recover at start-up
/// read while others write; in SQLite's default rollback mode they queue behind each other and the
/// sharding coordinator's remember-entities store times out. WAL is a property of the file, so
/// setting it once here holds for the journal plugin's own connections.
/// </summary>
internal static class SqliteJournalFile
{
    public static void Prepare(NodeSettings settings)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        using var connection = new SqliteConnection(settings.EffectiveConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
