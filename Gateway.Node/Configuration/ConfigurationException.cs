namespace VpnMasq.Node.Configuration;

/// <summary>
/// Configuration the node cannot run with. The message is one line that names the full key
/// (e.g. <c>Masquerade:Inside:1</c>) and the offending value, so it can be printed as the exit reason.
/// </summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private ConfigurationException(string key, string problem)
        : base($"{key}: {problem}")
    {
        Key = key;
    }

    /// <summary>The full configuration key (or command-line option) at fault; null for file-level errors.</summary>
    public string? Key { get; }

    public static ConfigurationException ForKey(string key, string problem) => new(key, problem);
}
