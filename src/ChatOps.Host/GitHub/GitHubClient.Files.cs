using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

public sealed partial class GitHubClient
{
    // A 409 means someone committed the file since we read it: read again, re-apply the edit, try again.
    private const int MaxStaleWrites = 3;

    public async Task<FileUpdate> UpdateFileAsync(string path, Func<string?, string?> edit, string message, CancellationToken cancellationToken)
    {
        using var client = Open();
        for (var attempt = 0; ; attempt++)
        {
            var (text, blobSha) = await ReadFileAsync(client, path, cancellationToken);
            var edited = edit(text);
            if (edited is null || edited == text)
            {
                return new FileUpdate(false, null);
            }

            var body = new FileWrite(message, Convert.ToBase64String(Encoding.UTF8.GetBytes(edited)), blobSha, _options.Branch);
            using var response = await Repo(client, "contents", path).SendAsync(SystemName, HttpMethod.Put, body, cancellationToken, 409);
            if (response.StatusCode != 409)
            {
                var written = await response.ReadJsonAsync<ContentWrite>(SystemName);
                return new FileUpdate(true, written.Commit.Sha);
            }

            if (attempt == MaxStaleWrites)
            {
                throw await OutsideCallException.FromResponseAsync(SystemName, response);
            }
        }
    }

    private async Task<(string? Text, string? BlobSha)> ReadFileAsync(IFlurlClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await Repo(client, "contents", path).SetQueryParam("ref", _options.Branch)
            .SendAsync(SystemName, HttpMethod.Get, null, cancellationToken, 404);
        if (response.StatusCode == 404)
        {
            return (null, null);
        }

        var file = await response.ReadJsonAsync<ContentFile>(SystemName);
        if (file.Type != "file" || file.Encoding != "base64" || file.Content is null)
        {
            // Directories, and files over 1 MB (encoding "none"), cannot be edited through this endpoint.
            throw new InvalidOperationException($"GitHub cannot hand out {path} on {_options.Branch} as a base64 file (type {file.Type}, encoding {file.Encoding}).");
        }

        // GitHub wraps the base64 every 60 characters; .NET's decoder rejects the line breaks.
        var base64 = string.Concat(file.Content.Where(c => !char.IsWhiteSpace(c)));
        return (Encoding.UTF8.GetString(Convert.FromBase64String(base64)), file.Sha);
    }
}
