using System.Net;
using System.Net.Http.Headers;

namespace VpnMasq.Cli;

/// <summary>A failure talking to the node, already worded as the one line the user sees.</summary>
internal sealed class NodeException(string message) : Exception(message);

/// <summary>GETs from one node's management API (DESIGN §5.3), with the bearer token when there is one.</summary>
internal sealed class NodeClient : IDisposable
{
    /// <summary>Above the node's own 5 s per-peer ask for /table, so a slow node answers rather than times out.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly string _url;
    private readonly string? _tokenFile;

    public NodeClient(Uri url, string? token, string? tokenFile)
    {
        _url = url.OriginalString;
        _tokenFile = tokenFile;
        // A trailing slash makes "table" resolve under a URL with a path prefix instead of replacing it.
        var baseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = AnswerTimeout };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Any answer at all, whatever its status; throws only when the node cannot be reached.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new NodeException($"cannot reach {_url}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new NodeException($"cannot reach {_url}: no answer within {AnswerTimeout.TotalSeconds} s");
        }
    }

    /// <summary>The body of a 200 answer; any other status becomes a <see cref="NodeException"/>.</summary>
    public async Task<string> GetOkAsync(string path)
    {
        var (status, body) = await GetAsync(path).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => body,
            HttpStatusCode.Unauthorized when _tokenFile is null => throw new NodeException("the node wants a token (--token-file)"),
            HttpStatusCode.Unauthorized => throw new NodeException($"the node refused the token in {_tokenFile}"),
            _ => throw Unexpected(path, status, body),
        };
    }

    /// <summary>The one line for an answer the command has no use for: which URL, which status, the body's first line.</summary>
    public NodeException Unexpected(string path, HttpStatusCode status, string body) =>
        new($"{new Uri(_http.BaseAddress!, path)} answered {(int)status}: {FirstLine(body)}");

    private static string FirstLine(string body)
    {
        string trimmed = body.Trim();
        int end = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }

    public void Dispose() => _http.Dispose();
}
