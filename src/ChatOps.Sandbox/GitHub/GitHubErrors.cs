namespace ChatOps.Sandbox;

// GitHub's error envelope: message, documentation_url and the status code as a string.
internal static class GitHubErrors
{
    public const string Docs = "https://docs.github.com/rest";

    public static IResult Error(int status, string message, string docs = Docs, object? errors = null) =>
        errors is null
            ? SandboxJson.Json(new { message, documentation_url = docs, status = status.ToString(System.Globalization.CultureInfo.InvariantCulture) }, status)
            : SandboxJson.Json(new { message, errors, documentation_url = docs, status = status.ToString(System.Globalization.CultureInfo.InvariantCulture) }, status);

    public static IResult NotFound(string docs = Docs) => Error(404, "Not Found", docs);

    public static IResult NotSupplied(string field, string docs = Docs) => Error(422, $"Invalid request.\n\n\"{field}\" wasn't supplied.", docs);

    public static IResult NoCommit(string rev) => Error(422, $"No commit found for SHA: {rev}", $"{Docs}/commits/commits#get-a-commit");
}
