using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

public sealed class GitHubOptions
{
    public const string Section = "GitHub";
    public static readonly IReadOnlyList<string> DefaultRequiredChecks = ["test", "coverage", "ruff", "black"];

    public string Token { get; set; } = "";

    // A GitHub App instead of a token: its id (or client id), its private key (PEM), and optionally the installation
    // on the repository (looked up from the repository when empty).
    public string AppId { get; set; } = "";
    public string AppPrivateKey { get; set; } = "";
    public long? AppInstallationId { get; set; }

    public bool UsesApp => AppId.Length > 0 || AppPrivateKey.Length > 0;
    public string ApiBaseUrl { get; set; } = "https://api.github.com";
    public string Repository { get; set; } = "";
    public string Branch { get; set; } = "main";

    // A GitHub Deployment per release and rollback; false leaves GitHub's deployments alone.
    public bool Deployments { get; set; } = true;

    // Empty until bound: the configuration binder appends to a pre-filled list instead of replacing it, so the
    // defaults are filled in after binding (see AddGitHub).
    public List<string> RequiredChecks { get; set; } = [];

    // Per attempt; retries and the total budget come from OutsideCalls.
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public string Owner => Repository.Split('/')[0];
    public string Name => Repository.Split('/')[^1];

    internal static bool IsRepository(string value) => RepositoryPattern.IsMatch(value);

    private static readonly Regex RepositoryPattern = new(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", RegexOptions.Compiled);
}

internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        List<string> errors = [];
        if (options.UsesApp)
        {
            if (string.IsNullOrWhiteSpace(options.AppId))
                errors.Add("GitHub:AppId is missing: a GitHub App needs its id with its private key");
            if (string.IsNullOrWhiteSpace(options.AppPrivateKey))
                errors.Add("GitHub:AppPrivateKey is missing (or set GITHUB_APP_PRIVATE_KEY): a GitHub App needs its private key with its id");
            else if (GitHubAppJwt.KeyProblem(options.AppPrivateKey) is { } problem)
                errors.Add(problem);
            if (!string.IsNullOrWhiteSpace(options.Token))
                errors.Add("GitHub:Token and GitHub:AppId are both set: use a token or an app, not both");
        }
        else if (string.IsNullOrWhiteSpace(options.Token))
        {
            errors.Add("GitHub:Token is missing (or set GITHUB_TOKEN, or a GitHub App: GitHub:AppId and GITHUB_APP_PRIVATE_KEY)");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add("GitHub:ApiBaseUrl must be an absolute http(s) URL such as https://api.github.com");
        }

        if (!GitHubOptions.IsRepository(options.Repository))
        {
            errors.Add("GitHub:Repository must look like owner/name");
        }

        if (string.IsNullOrWhiteSpace(options.Branch))
        {
            errors.Add("GitHub:Branch is missing");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("GitHub:Timeout must be positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
