using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ChatOps.Sandbox.Tests;

public sealed class RegistryTests : SandboxFixture
{
    private const string App = "myloware-api";

    private async Task<HttpResponseMessage> HeadManifest(string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri($"{Sandbox.FlyRegistryUrl}/v2/{App}/manifests/{reference}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + Sandbox.Options.FlyToken)));
        return await Plain.SendAsync(request);
    }

    private async Task<string> ErrorCode(string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Sandbox.FlyRegistryUrl}/v2/{App}/manifests/{reference}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + Sandbox.Options.FlyToken)));
        using var response = await Plain.SendAsync(request);
        return (string)(await ReadJson(response))["errors"]![0]!["code"]!;
    }

    [Fact]
    public async Task A_tag_never_pushed_is_an_unknown_manifest_until_it_is_pushed()
    {
        using var pushed = await HeadManifest("v0.2.0");
        using var missing = await HeadManifest("v9.9.9");
        var code = await ErrorCode("v9.9.9");
        Sandbox.Fly.PushImages("v9.9.9");
        using var later = await HeadManifest("v9.9.9");

        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.Equal(Sandbox.Fly.Registry.DigestOf($"registry.fly.io/{App}:v0.2.0"), pushed.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", code);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task A_manifest_is_found_by_its_digest_and_an_unknown_repository_is_a_name_error()
    {
        var digest = Sandbox.Fly.Registry.DigestOf($"registry.fly.io/{App}:v1.2.0")!;

        using var byDigest = await HeadManifest(digest);
        var unknownDigest = await ErrorCode("sha256:" + new string('0', 64));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Sandbox.FlyRegistryUrl}/v2/nobody/manifests/v0.2.0"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + Sandbox.Options.FlyToken)));
        using var unknownRepository = await Plain.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", unknownDigest);
        Assert.Equal("NAME_UNKNOWN", (string)(await ReadJson(unknownRepository))["errors"]![0]!["code"]!);
        Assert.Equal("v1.2.0", Sandbox.Fly.Registry.TagOf($"registry.fly.io/{App}@{digest}"));
    }

    [Fact]
    public void Pushing_again_keeps_the_digest_and_a_repush_names_new_content_under_the_same_tag()
    {
        var image = $"registry.fly.io/{App}:v0.2.0";
        var first = Sandbox.Fly.Registry.DigestOf(image)!;

        var again = Sandbox.Fly.Registry.Push(image);
        var repushed = Sandbox.Fly.Registry.Repush(image);

        Assert.Equal(first, again);
        Assert.NotEqual(first, repushed);
        Assert.Equal(repushed, Sandbox.Fly.Registry.DigestOf(image));
        Assert.Equal("v0.2.0", Sandbox.Fly.Registry.TagOf($"registry.fly.io/{App}@{first}"));
        Assert.Null(Sandbox.Fly.Registry.DigestOf($"registry.fly.io/{App}:v0.9.9"));
        Assert.Null(Sandbox.Fly.Registry.TagOf($"registry.fly.io/{App}@sha256:{new string('1', 64)}"));
        Assert.True(Sandbox.Fly.Registry.IsPushed("registry-1.docker.io/library/nginx:latest"));
    }

    [Fact]
    public async Task A_machine_cannot_be_created_or_updated_on_an_image_never_pushed()
    {
        var machine = Sandbox.Fly.Machines(App)[0];
        var config = machine.Config;
        config["image"] = $"registry.fly.io/{App}:v0.9.9";

        using var update = await Fly.PostAsync($"apps/{App}/machines/{machine.Id}", Body(new { config }));
        using var create = await Fly.PostAsync($"apps/{App}/machines", Body(new { config }));

        Assert.Equal((HttpStatusCode)422, update.StatusCode);
        Assert.Equal($"failed to resolve image: manifest unknown: registry.fly.io/{App}:v0.9.9", (string?)(await ReadJson(update))["error"]);
        Assert.Equal((HttpStatusCode)422, create.StatusCode);
        Assert.Equal($"registry.fly.io/{App}:v0.1.0", Sandbox.Fly.ImageOf(App, machine.Id));
        Assert.Equal(2, Sandbox.Fly.Machines(App).Count);
        Assert.Equal(0, Sandbox.Mutations.Count("fly.update:"));
    }
}
