using System.Text;

namespace ChatOps.Sandbox;

// One step of a `sh -c` line: its words (quotes removed) and whether it runs only after the previous step succeeded.
public sealed record ShellStep(IReadOnlyList<string> Words, bool AfterSuccess)
{
    public string Text => string.Join(' ', Words);
}

// What `sh -c "<a> && <b>; <c>"` does with the pieces a machine's image can run: `cd` (a no-op here: the image's
// working directory already holds the project), `true`, `echo`, and one program handed to the caller (alembic).
// Anything else is not installed. `&&` stops at the first failure and returns its exit code; `;` goes on.
public static class ShellChain
{
    public static IReadOnlyList<ShellStep> Parse(IReadOnlyList<string> command)
    {
        if (command.Count >= 3 && command[0] is "sh" or "/bin/sh" or "bash" or "/bin/bash" && command[1] == "-c")
        {
            return Split(command[2]);
        }

        // Several argv elements without a shell are one program and its arguments; a single element is the
        // deprecated `cmd` string, whose splitting by Fly is unconfirmed, so it is read as a shell line.
        return command.Count == 1 ? Split(command[0]) : [new ShellStep([.. command], false)];
    }

    public static async Task<FlyExecResult> RunAsync(
        IReadOnlyList<string> command, string program,
        Func<IReadOnlyList<string>, CancellationToken, Task<FlyExecResult>> run, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var exit = 0;
        foreach (var step in Parse(command))
        {
            if (step.AfterSuccess && exit != 0)
            {
                break;
            }

            var result = step.Words switch
            {
                [] => new FlyExecResult(0, "", ""),
                ["cd", ..] or ["true"] => new FlyExecResult(0, "", ""),
                ["echo", ..] => new FlyExecResult(0, string.Join(' ', step.Words.Skip(1)) + "\n", ""),
                [var first, ..] when first == program => await run(step.Words, cancellationToken),
                [var first, ..] => new FlyExecResult(127, "", $"sh: 1: {first}: not found\n"),
            };
            stdout.Append(result.Stdout);
            stderr.Append(result.Stderr);
            exit = result.ExitCode;
        }

        return new FlyExecResult(exit, stdout.ToString(), stderr.ToString());
    }

    // The steps run synchronously (the simulator's Alembic never awaits), so blocking here cannot deadlock.
    public static FlyExecResult Run(IReadOnlyList<string> command, string program, Func<IReadOnlyList<string>, FlyExecResult> run) =>
        RunAsync(command, program, (words, _) => Task.FromResult(run(words)), CancellationToken.None).GetAwaiter().GetResult();

    // Words separated by blanks, `'…'` and `"…"` quoting, and the `&&` and `;` operators outside quotes.
    private static List<ShellStep> Split(string line)
    {
        var steps = new List<ShellStep>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var afterSuccess = false;
        char? quote = null;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }

        void EndStep(bool nextAfterSuccess)
        {
            EndWord();
            if (words.Count > 0)
            {
                steps.Add(new ShellStep([.. words], afterSuccess));
            }

            words.Clear();
            afterSuccess = nextAfterSuccess;
        }

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == ';')
            {
                EndStep(false);
            }
            else if (c == '&' && i + 1 < line.Length && line[i + 1] == '&')
            {
                EndStep(true);
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord();
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        EndStep(false);
        return steps;
    }
}
