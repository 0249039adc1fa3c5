using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Tests.Cards;

/// <summary>What the card links and whom it names: pure functions of the release record and the people known.</summary>
public sealed class CardLinksAndNamesTests
{
    private const string Sha = "3f9c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static Release Released()
    {
        var release = new Release { Id = 7, Tag = "v1.1.0", Environment = "production", Requester = "telegram:1001", State = ReleaseState.Released, CreatedAt = Now, UpdatedAt = Now };
        release.Outputs.HeadSha = Sha;
        release.Outputs.ApprovedBy = "slack:U1002";
        release.Outputs.Links.Commit = $"https://github.com/acme/app/commit/{Sha}";
        release.Outputs.Links.Tag = "https://github.com/acme/app/releases/tag/v1.1.0";
        release.Outputs.Links.Release = "https://github.com/acme/app/releases/tag/v1.1.0";
        release.Outputs.Links.Changelog = "https://github.com/acme/app/blob/main/CHANGELOG.md#v110---2026-12-01";
        release.Outputs.Machines.AddRange([
            new MachineImage { Service = "api", App = "app-api", MachineId = "m1" },
            new MachineImage { Service = "api", App = "app-api", MachineId = "m2" },
            new MachineImage { Service = "worker", App = "app-worker", MachineId = "m3" }]);
        return release;
    }

    [Fact]
    public void A_released_card_links_the_commit_the_release_instead_of_its_tag_the_changelog_and_each_fly_app_once()
    {
        var links = CardLinks.Of(Released());

        Assert.Equal(
            [
                new CardLink("commit 3f9c2d4", $"https://github.com/acme/app/commit/{Sha}"),
                new CardLink("release v1.1.0", "https://github.com/acme/app/releases/tag/v1.1.0"),
                new CardLink("changelog", "https://github.com/acme/app/blob/main/CHANGELOG.md#v110---2026-12-01"),
                new CardLink("fly app-api", "https://fly.io/apps/app-api"),
                new CardLink("fly app-worker", "https://fly.io/apps/app-worker"),
            ],
            links);
    }

    [Fact]
    public void Before_the_github_release_exists_the_card_links_the_tag()
    {
        var release = Released();
        release.Outputs.Links.Release = null;

        Assert.Contains(new CardLink("tag v1.1.0", "https://github.com/acme/app/releases/tag/v1.1.0"), CardLinks.Of(release));
    }

    [Fact]
    public void Failing_checks_are_linked_only_on_a_release_stopped_at_preflight_and_at_most_three()
    {
        var release = new Release { Id = 8, Tag = "v1.2.0", Requester = "console:alice", State = ReleaseState.Failed, StoppedAt = ReleaseState.Preflight };
        release.Outputs.Links.FailedChecks = [.. new[] { "ruff", "black", "test", "coverage" }.Select(n => new NamedLink(n, $"https://github.com/acme/app/runs/{n}"))];

        var failed = CardLinks.Of(release);
        release.StoppedAt = ReleaseState.Verify;
        var laterFailure = CardLinks.Of(release);

        Assert.Equal(["check ruff", "check black", "check test"], failed.Select(l => l.Text));
        Assert.Empty(laterFailure);
    }

    [Fact]
    public void An_address_that_is_not_a_web_page_is_never_linked()
    {
        var release = Released();
        release.Outputs.Links.Commit = "javascript:alert(1)";
        release.Outputs.Links.Changelog = "not a url";

        Assert.DoesNotContain(CardLinks.Of(release), l => l.Text.StartsWith("commit", StringComparison.Ordinal) || l.Text == "changelog");
    }

    [Fact]
    public void The_card_names_the_requester_and_the_approver_when_known_and_shows_the_id_otherwise()
    {
        var people = new People();
        people.Remember(new ChatUser("telegram:1001"), "Rita  Releaser", "rita");

        var card = CardRenderer.Render(Released(), [], Now, people.NameOf);

        Assert.Contains("requested by Rita Releaser", card.Details);
        Assert.Contains("approved by slack:U1002", card.Details);
        // The commit is a link then, not a detail line as well.
        Assert.DoesNotContain(card.Details, d => d.StartsWith("commit", StringComparison.Ordinal));
    }

    [Fact]
    public void The_changelog_section_and_its_github_anchor_are_found_for_the_tag()
    {
        var text = "# Changelog\n\n## v1.1.0 - 2026-12-01\n\n- Add runs\n- Fix retry\n\n## v1.0.0 - 2026-11-01\n\n- first\n";

        var section = Changelog.SectionOf(text, "v1.1.0");

        Assert.Equal(("v1.1.0 - 2026-12-01", "- Add runs\n- Fix retry"), section);
        Assert.Equal("v110---2026-12-01", Changelog.Anchor(section!.Value.Heading));
        Assert.Null(Changelog.SectionOf(text, "v2.0.0"));
    }
}
