using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class BakeQueriesTests
{
    [Fact]
    public void The_built_in_queries_are_plain_promql_over_flys_proxy_metrics()
    {
        Assert.Equal("sum(increase(fly_app_http_responses_count{app=\"my-api\"}[600s]))", BakeQueries.Requests("my-api", "600s"));
        Assert.Equal("sum(increase(fly_app_http_responses_count{app=\"my-api\",status=~\"5..\"}[600s]))", BakeQueries.Errors("my-api", "600s"));
        Assert.Equal(
            "histogram_quantile(0.95, sum by (le) (rate(fly_app_http_response_time_seconds_bucket{app=\"my-api\"}[600s])))",
            BakeQueries.P95("my-api", "600s"));
    }

    [Theory]
    [InlineData("max(q{app=\"{app}\"}[{window}])", "api", "max(q{app=\"api\"}[600s])")]
    [InlineData("max(q[{window}])", null, "max(q[600s])")]
    [InlineData("q{app=\"{app}\"}", "a\"b", "q{app=\"a\\\"b\"}")]
    public void An_operators_query_gets_the_app_and_the_window_filled_in(string query, string? app, string filled)
    {
        Assert.Equal(filled, BakeQueries.Fill(query, app, "600s"));
    }

    [Theory]
    [InlineData(600, "600s", "10 min")]
    [InlineData(45.7, "45s", "45 s")]
    [InlineData(90, "90s", "1 min 30 s")]
    [InlineData(0.2, "1s", "1 s")]
    public void The_window_is_as_long_as_the_bake_has_run_in_whole_seconds(double seconds, string range, string text)
    {
        var start = Answers.DeployStart.AddMinutes(2);
        var window = new BakeWindow(Answers.DeployStart, start, start.AddSeconds(seconds));

        Assert.Equal(range, window.Range);
        Assert.Equal(text, window.Text);
    }
}
