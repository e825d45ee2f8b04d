namespace VpnMasq.Cluster.Tests.Support;

internal static class ParallelAsync
{
    /// <summary>Runs <paramref name="body"/> for every item with at most <paramref name="width"/> in flight.</summary>
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int width, Func<T, Task> body)
    {
        using var gate = new SemaphoreSlim(width);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);
    }
}
