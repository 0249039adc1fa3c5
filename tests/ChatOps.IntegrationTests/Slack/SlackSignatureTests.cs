using System.Text;
using ChatOps.Host.Slack;
using ChatOps.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The v0 signature against Slack's own published example (reference §1), with the clock fixed at its timestamp.</summary>
public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string Body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_published_example_verifies_with_the_clock_at_its_timestamp()
    {
        var clock = new FakeTimeProvider(SignedAt);

        Assert.Equal(SignatureCheck.Valid, Check(Body, Secret, Signature, clock));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(SignatureCheck.Valid, Check(Body, Secret, Signature, clock));
    }

    [Fact]
    public void A_changed_body_a_wrong_secret_or_a_changed_signature_is_a_mismatch()
    {
        var clock = new FakeTimeProvider(SignedAt);

        Assert.Equal(SignatureCheck.Mismatch, Check(Body.Replace("text=&", "text=v9.9.9&", StringComparison.Ordinal), Secret, Signature, clock));
        Assert.Equal(SignatureCheck.Mismatch, Check(Body, Secret + "x", Signature, clock));
        Assert.Equal(SignatureCheck.Mismatch, Check(Body, Secret, Signature[..^1] + "4", clock));
        Assert.Equal(SignatureCheck.Mismatch, Check(Body, Secret, Signature.ToUpperInvariant().Replace("V0=", "v0=", StringComparison.Ordinal), clock));
    }

    [Fact]
    public void The_example_is_refused_once_its_timestamp_is_more_than_five_minutes_away_in_either_direction()
    {
        var late = new FakeTimeProvider(SignedAt + TimeSpan.FromSeconds(301));
        var early = new FakeTimeProvider(SignedAt - TimeSpan.FromSeconds(301));
        var justInTime = new FakeTimeProvider(SignedAt + TimeSpan.FromSeconds(299));

        Assert.Equal(SignatureCheck.Stale, Check(Body, Secret, Signature, late));
        Assert.Equal(SignatureCheck.Stale, Check(Body, Secret, Signature, early));
        Assert.Equal(SignatureCheck.Valid, Check(Body, Secret, Signature, justInTime));
    }

    [Fact]
    public void A_missing_header_an_unknown_version_or_an_unreadable_timestamp_is_refused()
    {
        var now = SignedAt;
        var body = Encoding.UTF8.GetBytes(Body);

        Assert.Equal(SignatureCheck.Missing, SlackSignature.Check(Secret, null, Signature, body, now));
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Check(Secret, Timestamp, null, body, now));
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Check(Secret, Timestamp, "v1=" + Signature[3..], body, now));
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Check(Secret, "15314206l8", Signature, body, now));
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Check("", Timestamp, Signature, body, now));
    }

    [Fact]
    public void The_simulators_signer_produces_slacks_example_signature()
    {
        Assert.Equal(Signature, SlackSigner.Sign(Secret, long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture), Body));
    }

    private static SignatureCheck Check(string body, string secret, string signature, TimeProvider clock) =>
        SlackSignature.Check(secret, Timestamp, signature, Encoding.UTF8.GetBytes(body), clock.GetUtcNow());
}
