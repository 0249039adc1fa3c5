using ChatOps.Core.Releases;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Tests.Steps;

public sealed class StepLogicTests
{
    private const string History = """
        b2c3d4e5f6a7 -> c3d4e5f6a7b8 (head), add runs.priority
        a1b2c3d4e5f6 -> b2c3d4e5f6a7, create artifacts
        <base> -> a1b2c3d4e5f6, create runs
        """;

    [Fact]
    public void Alembic_current_is_read_with_or_without_the_head_marker()
    {
        Assert.Equal("a1b2c3d4e5f6", AlembicOutput.ParseRevision("a1b2c3d4e5f6\n"));
        Assert.Equal("c3d4e5f6a7b8", AlembicOutput.ParseRevision("c3d4e5f6a7b8 (head)\n"));
        Assert.Null(AlembicOutput.ParseRevision(""));
    }

    [Fact]
    public void Pending_revisions_are_those_after_current_up_to_head_oldest_first()
    {
        var pending = AlembicOutput.Pending(History, "a1b2c3d4e5f6", "c3d4e5f6a7b8");

        Assert.Equal(["b2c3d4e5f6a7", "c3d4e5f6a7b8"], pending.Select(p => p.Revision));
        Assert.Equal("create artifacts", pending[0].Message);
    }

    [Fact]
    public void An_empty_database_has_every_revision_pending() =>
        Assert.Equal(3, AlembicOutput.Pending(History, null, "c3d4e5f6a7b8").Count);

    [Fact]
    public void A_database_at_head_has_nothing_pending() =>
        Assert.Empty(AlembicOutput.Pending(History, "c3d4e5f6a7b8", "c3d4e5f6a7b8"));

    [Fact]
    public void The_changelog_gets_a_section_on_top_once()
    {
        var existing = "# Changelog\n\n## v0.1.0 - 2026-01-01\n\n- First\n";

        var updated = Changelog.Prepend(existing, "v0.2.0", new DateOnly(2026, 11, 25), ["Add run status endpoint", "Fix retry\n\nlong body"]);

        Assert.NotNull(updated);
        Assert.True(updated.IndexOf("## v0.2.0 - 2026-11-25", StringComparison.Ordinal) < updated.IndexOf("## v0.1.0", StringComparison.Ordinal));
        Assert.Contains("- Fix retry\n", updated);
        Assert.DoesNotContain("long body", updated);
        Assert.Null(Changelog.Prepend(updated, "v0.2.0", new DateOnly(2026, 11, 26), ["Again"]));
    }

    [Fact]
    public void A_missing_changelog_is_started()
    {
        var created = Changelog.Prepend(null, "v1.0.0", new DateOnly(2026, 1, 2), []);

        Assert.StartsWith("# Changelog", created);
        Assert.Contains("## v1.0.0 - 2026-01-02", created);
    }

    [Fact]
    public void The_plan_hash_changes_with_the_sha_an_image_its_digest_or_a_migration()
    {
        var plan = new ReleasePlan("v1.0.0", "abc", [new PlannedImage("api", "img:v1.0.0", "sha256:aaa")], [new MigrationRevision("r1", "m")]);

        Assert.Equal(plan.Hash(), (plan with { Images = [new PlannedImage("api", "img:v1.0.0", "sha256:aaa")] }).Hash());
        Assert.NotEqual(plan.Hash(), (plan with { Sha = "abd" }).Hash());
        Assert.NotEqual(plan.Hash(), (plan with { Images = [new PlannedImage("api", "img:v1.0.1", "sha256:aaa")] }).Hash());
        Assert.NotEqual(plan.Hash(), (plan with { Images = [new PlannedImage("api", "img:v1.0.0", "sha256:bbb")] }).Hash());
        Assert.NotEqual(plan.Hash(), (plan with { Images = [new PlannedImage("api", "img:v1.0.0")] }).Hash());
        Assert.NotEqual(plan.Hash(), (plan with { Migrations = [new MigrationRevision("r1", "m"), new MigrationRevision("r2", "n")] }).Hash());
    }

    [Fact]
    public void A_plan_names_the_image_whose_digest_moved_since_it_was_shown_and_only_that_one()
    {
        var shown = new ReleasePlan("v1.0.0", "abc", [new PlannedImage("api", "reg/api:v1", "sha256:0123456789abcdef0000"), new PlannedImage("worker", "reg/worker:v1", "sha256:1111")], []);
        var now = shown with { Images = [new PlannedImage("api", "reg/api:v1", "sha256:fedcba98765432100000"), new PlannedImage("worker", "reg/worker:v1", "sha256:1111")] };

        var changed = now.ImagesChangedSince(shown.Digests());

        Assert.Equal(["reg/api:v1 (sha256:0123456789ab → sha256:fedcba987654)"], changed);
        Assert.Empty(shown.ImagesChangedSince(shown.Digests()));
    }
}
