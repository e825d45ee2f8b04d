using System.Text;

namespace VpnMasq.Cli;

/// <summary>Columns padded to their widest cell, two spaces apart, no trailing blanks; the first row is the header.</summary>
internal static class TextTable
{
    private const string Gap = "  ";

    public static string Format(IReadOnlyList<string[]> rows, params ReadOnlySpan<int> rightAligned)
    {
        int columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0) line.Append(Gap);
                line.Append(rightAligned.Contains(c) ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
