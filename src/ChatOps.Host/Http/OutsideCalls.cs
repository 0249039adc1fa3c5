using System.Text.Json;
using System.Text.Json.Serialization;
using Flurl.Http;
using Flurl.Http.Configuration;
using Flurl.Http.Content;

namespace ChatOps.Host.Http;

// How adapters send: a Flurl client over the named resilient HttpClient, and one send method that turns every
// unexpected answer into an OutsideCallException.
public static class OutsideCalls
{
    public static readonly JsonSerializerOptions SnakeCaseJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // A new Flurl client per operation: IHttpClientFactory pools the handlers, so this is cheap and picks up
    // handler rotation (DNS changes) that a long-lived HttpClient would miss.
    public static IFlurlClient CreateFlurlClient(this IHttpClientFactory factory, string name, string baseUrl, JsonSerializerOptions json)
    {
        var client = new FlurlClient(factory.CreateClient(name), baseUrl);
        client.Settings.Timeout = null; // the resilience pipeline owns timeouts
        client.Settings.AllowedHttpStatusRange = "*"; // statuses are checked by SendAsync below
        client.Settings.JsonSerializer = new DefaultJsonSerializer(json);
        return client;
    }

    // `answers`: non-2xx statuses the caller handles itself; they are returned, not retried, not thrown.
    public static async Task<IFlurlResponse> SendAsync(
        this IFlurlRequest request, string system, HttpMethod verb, object? json, CancellationToken cancellationToken, params int[] answers)
    {
        var content = json is null ? null : new CapturedJsonContent(request.Settings.JsonSerializer.Serialize(json));
        IFlurlResponse response;
        try
        {
            response = await request.Answers(answers).SendAsync(verb, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (FlurlHttpException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw OutsideCallException.NoAnswer(system, verb, request.Url.ToString(), ex);
        }

        if (response.StatusCode is >= 200 and < 300 || answers.Contains(response.StatusCode))
        {
            return response;
        }

        using (response)
        {
            throw await OutsideCallException.FromResponseAsync(system, response);
        }
    }

    public static async Task<T> CallJsonAsync<T>(this IFlurlRequest request, string system, HttpMethod verb, object? json, CancellationToken cancellationToken) =>
        await (await request.SendAsync(system, verb, json, cancellationToken)).ReadJsonAsync<T>(system);

    public static async Task<T> ReadJsonAsync<T>(this IFlurlResponse response, string system)
    {
        using (response)
        {
            try
            {
                var body = await response.GetJsonAsync<T>();
                if (body is not null)
                {
                    return body;
                }
            }
            catch (FlurlParsingException ex)
            {
                throw Unreadable(system, response, ex.InnerException?.Message ?? "not JSON", ex.InnerException);
            }

            throw Unreadable(system, response, "the body was empty", null);
        }
    }

    private static OutsideCallException Unreadable(string system, IFlurlResponse response, string why, Exception? inner)
    {
        var request = response.ResponseMessage.RequestMessage;
        return new OutsideCallException(
            $"{system} answered {request?.Method.Method} {CredentialPaths.Of(request?.RequestUri)} with JSON we could not read: {why}", response.StatusCode, inner: inner);
    }
}
