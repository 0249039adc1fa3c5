using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox.Tests;

// A fresh sandbox per test (xunit builds one class instance per test), with plain HttpClients that speak to it the
// way a real client would: bearer tokens, a User-Agent and the documented base URLs.
public abstract class SandboxFixture : IAsyncLifetime
{
    protected SandboxServer Sandbox { get; private set; } = null!;
    protected HttpClient GitHub { get; private set; } = null!;
    protected HttpClient Fly { get; private set; } = null!;
    protected HttpClient Plain { get; } = new();

    protected string RepoPath => $"repos/{Sandbox.Options.Repository}";

    protected virtual SandboxOptions CreateOptions() => new();

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(CreateOptions());
        GitHub = new HttpClient { BaseAddress = new Uri(Sandbox.GitHubApiUrl + "/") };
        GitHub.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("chatops-tests", "1.0"));
        GitHub.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.Options.GitHubToken);
        Fly = new HttpClient { BaseAddress = new Uri(Sandbox.FlyApiUrl + "/v1/") };
        Fly.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.Options.FlyToken);
    }

    public async Task DisposeAsync()
    {
        GitHub.Dispose();
        Fly.Dispose();
        Plain.Dispose();
        await Sandbox.DisposeAsync();
    }

    protected static async Task<JsonNode> ReadJson(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    protected static async Task<JsonNode> Json(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return await ReadJson(response);
    }

    protected static JsonContent Body(object value) => JsonContent.Create(value);
}
