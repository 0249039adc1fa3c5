namespace ChatOps.Host.Console;

/// <summary>The console's input and output, replaceable so tests can type and read.</summary>
public sealed class ConsoleIO(TextReader input, TextWriter output, bool interactive)
{
    private readonly Lock _write = new();

    public static ConsoleIO System() =>
        new(global::System.Console.In, global::System.Console.Out, !global::System.Console.IsInputRedirected);

    public TextReader Input => input;

    /// <summary>True when a person types; false for a script on stdin, which waits for each command's work to settle.</summary>
    public bool Interactive => interactive;

    public void Write(string text)
    {
        lock (_write)
        {
            output.Write(text);
            output.Flush();
        }
    }
}
