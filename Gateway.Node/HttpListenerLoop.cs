using System.Net;

namespace VpnMasq.Node;

/// <summary>Accepts requests on a started <see cref="HttpListener"/> until it stops, each answered on its own task.</summary>
internal static class HttpListenerLoop
{
    public static void Run(HttpListener listener, Func<HttpListenerContext, Task> answer) => _ = Task.Run(() => AcceptAsync(listener, answer));

    private static async Task AcceptAsync(HttpListener listener, Func<HttpListenerContext, Task> answer)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => answer(context));
        }
    }
}
