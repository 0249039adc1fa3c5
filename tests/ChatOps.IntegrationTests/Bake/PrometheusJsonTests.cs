using System.Text.Json.Nodes;
using ChatOps.Host.PrometheusQueries;

namespace ChatOps.IntegrationTests.Bake;

// The query API's answers as reference/prometheus-api.md §2–3 gives them.
public sealed class PrometheusJsonTests
{
    [Theory]
    [InlineData("\"0.0125\"", 0.0125)]
    [InlineData("\"NaN\"", double.NaN)]
    [InlineData("\"+Inf\"", double.PositiveInfinity)]
    [InlineData("\"-Inf\"", double.NegativeInfinity)]
    [InlineData("\"1e3\"", 1000)]
    public void A_vector_sample_is_read_with_prometheus_spelling_of_nan_and_infinities(string value, double expected)
    {
        var body = Parse($$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"app":"my-api","instance":"3d8d413b29d089"},"value":[1764558000.123,{{{value}}}]}]}}""");

        var sample = Assert.Single(PrometheusJson.Vector(body));

        Assert.Equal(expected, sample.Value);
        Assert.Equal("3d8d413b29d089", sample.Labels["instance"]);
    }

    [Fact]
    public void A_scalar_answer_is_one_sample_without_labels()
    {
        var sample = Assert.Single(PrometheusJson.Vector(Parse("""{"status":"success","data":{"resultType":"scalar","result":[1764558000,"1"]}}""")));

        Assert.Equal(1, sample.Value);
        Assert.Empty(sample.Labels);
    }

    [Fact]
    public void A_range_answer_keeps_every_point_in_time()
    {
        var series = Assert.Single(PrometheusJson.Matrix(Parse("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"app":"a"},"values":[[1764558000,"1"],[1764558030.5,"2"]]}]}}""")));

        Assert.Equal([(DateTimeOffset.FromUnixTimeSeconds(1764558000), 1.0), (DateTimeOffset.FromUnixTimeMilliseconds(1764558030500), 2.0)], series.Points);
    }

    [Fact]
    public void An_error_answer_is_its_type_and_reason()
    {
        Assert.Equal("bad_data: parse error", PrometheusJson.ErrorOf(Parse("""{"status":"error","errorType":"bad_data","error":"parse error"}""")));
        Assert.Null(PrometheusJson.ErrorOf(Parse("""{"status":"success","data":{"resultType":"vector","result":[]}}""")));
    }

    [Fact]
    public void A_string_result_where_a_vector_is_expected_is_refused()
    {
        Assert.Throws<FormatException>(() => PrometheusJson.Vector(Parse("""{"status":"success","data":{"resultType":"string","result":[1,"x"]}}""")));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
