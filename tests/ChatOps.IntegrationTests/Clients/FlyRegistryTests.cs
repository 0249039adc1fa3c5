using ChatOps.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Clients;

public sealed class FlyRegistryTests : ClientFixture
{
    private const string Image = "registry.fly.io/myloware-api:v0.2.0";

    private IImageRegistry Registry => Get<IImageRegistry>();

    [Fact]
    public async Task A_tag_pushed_again_resolves_to_its_new_digest()
    {
        var first = await Registry.DigestAsync(Image, CancellationToken.None);

        var pushed = Sandbox.Fly.Registry.Repush(Image);

        Assert.StartsWith("sha256:", first);
        Assert.Equal(pushed, await Registry.DigestAsync(Image, CancellationToken.None));
        Assert.NotEqual(first, pushed);
    }

    [Fact]
    public async Task A_machine_reports_the_digest_its_tag_had_when_it_was_updated_not_a_later_push()
    {
        var id = Sandbox.Fly.Machines("myloware-api")[0].Id;
        var deployed = await Get<IDeployTarget>().DeployAsync("myloware-api", id, Image, TimeSpan.FromSeconds(30), CancellationToken.None);

        var pushed = Sandbox.Fly.Registry.Repush(Image);

        Assert.Equal(await Registry.DigestAsync(Image, CancellationToken.None), pushed);
        Assert.NotEqual(pushed, deployed.Digest);
        Assert.StartsWith("sha256:", deployed.Digest);
        Assert.Equal(deployed.Digest, (await Get<IDeployTarget>().ListMachinesAsync("myloware-api", CancellationToken.None)).Single(m => m.Id == id).Digest);
    }

    [Theory]
    [InlineData("docker.io/library/nginx:1.27")]
    [InlineData("registry.fly.io/no-such-app:v0.2.0")]
    [InlineData("registry.fly.io/myloware-api")]
    public async Task An_image_the_fly_registry_does_not_hold_has_no_digest(string image) =>
        Assert.Null(await Registry.DigestAsync(image, CancellationToken.None));
}
