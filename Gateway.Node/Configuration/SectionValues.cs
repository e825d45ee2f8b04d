using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace VpnMasq.Node.Configuration;

/// <summary>
/// Reads single values, sections and lists out of <see cref="IConfiguration"/> strictly: a value
/// that is present but unusable is a <see cref="ConfigurationException"/> naming the full key,
/// never a silent default. An absent key (or a JSON null) takes the default.
/// </summary>
internal static class SectionValues
{
    /// <summary>The raw value, or null when absent. A section where a single value belongs is an error.</summary>
    public static string? Text(IConfigurationSection section)
    {
        var child = section.GetChildren().FirstOrDefault();
        if (child is not null)
            throw ConfigurationException.ForKey(section.Path, $"expected a single value, found {child.Path}");
        return section.Value;
    }

    /// <summary>A duration written hh:mm:ss (or d.hh:mm:ss), greater than zero.</summary>
    public static TimeSpan PositiveDuration(IConfigurationSection section, TimeSpan fallback)
    {
        if (Text(section) is not { } text)
            return fallback;
        // TimeSpan.Parse reads a bare "10" as ten days; insist on the colon a user means.
        if (!text.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
            throw Bad(section, text, "is not a duration (hh:mm:ss)");
        if (value <= TimeSpan.Zero)
            throw Bad(section, text, "must be a positive duration (hh:mm:ss)");
        return value;
    }

    public static int Integer(IConfigurationSection section, int fallback, int minimum, int maximum = int.MaxValue)
    {
        if (Text(section) is not { } text)
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw Bad(section, text, "is not an integer");
        if (value < minimum || value > maximum)
            throw Bad(section, text, maximum == int.MaxValue ? $"must be at least {minimum}" : $"must be between {minimum} and {maximum}");
        return value;
    }

    public static ushort Port(IConfigurationSection section, ushort fallback)
    {
        if (Text(section) is not { } text)
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value is < 1 or > ushort.MaxValue)
            throw Bad(section, text, "is not a port number (1-65535)");
        return (ushort)value;
    }

    public static bool Boolean(IConfigurationSection section, bool fallback)
    {
        if (Text(section) is not { } text)
            return fallback;
        return bool.TryParse(text, out bool value) ? value : throw Bad(section, text, "is not a boolean (true or false)");
    }

    /// <summary>
    /// Checks that <paramref name="section"/> is a section holding only <paramref name="known"/> keys,
    /// so that a misspelt key is reported instead of silently ignored.
    /// </summary>
    public static void RequireKnownKeys(IConfigurationSection section, params string[] known)
    {
        if (!string.IsNullOrEmpty(section.Value))
            throw Bad(section, section.Value, $"expected a section with {string.Join(", ", known)}");
        foreach (var child in section.GetChildren())
        {
            if (known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                continue;
            string? near = known.Where(k => EditDistance(k, child.Key) <= Math.Max(2, k.Length / 3)).MinBy(k => EditDistance(k, child.Key));
            string suggestion = near is null ? "" : $"did you mean {section.Path}:{near}? ";
            throw ConfigurationException.ForKey(child.Path, $"unknown key ({suggestion}known keys under {section.Path}: {string.Join(", ", known)})");
        }
    }

    /// <summary>
    /// The entries of a list (Key:0, Key:1, …) in index order. A single value where a list belongs
    /// counts as a one-entry list when <paramref name="singleValueAllowed"/>.
    /// </summary>
    public static IReadOnlyList<IConfigurationSection> List(IConfigurationSection section, bool singleValueAllowed)
    {
        var entries = new List<(long Index, IConfigurationSection Entry)>();
        foreach (var child in section.GetChildren())
        {
            if (!long.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out long index))
                throw ConfigurationException.ForKey(child.Path, $"unknown key ({section.Path} is a list: its entries are {section.Path}:0, {section.Path}:1, …)");
            entries.Add((index, child));
        }

        if (!string.IsNullOrEmpty(section.Value))
        {
            if (entries.Count > 0)
                throw Bad(section, section.Value, $"is given both as a single value and as a list ({entries[0].Entry.Path}); use one form");
            if (!singleValueAllowed)
                throw Bad(section, section.Value, $"expected a list ({section.Path}:0, {section.Path}:1, …)");
            return [section];
        }

        return [.. entries.OrderBy(e => e.Index).Select(e => e.Entry)];
    }

    public static ConfigurationException Bad(IConfigurationSection section, string value, string problem) =>
        ConfigurationException.ForKey(section.Path, $"'{value}' {problem}");

    public static ConfigurationException Missing(IConfigurationSection section, string expected) =>
        ConfigurationException.ForKey(section.Path, $"required ({expected})");

    private static int EditDistance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }

        return previous[b.Length];
    }
}
