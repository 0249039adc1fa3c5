namespace ChatOps.Sandbox;

// Holds calls at the door until the test lets them through: a slowdown of any length that waits on a signal, not a
// clock. Reached completes when the first call is held, so a test knows its command is now waiting.
public sealed class SandboxHold
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _open;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached
    {
        get
        {
            lock (_gate)
                return _reached.Task;
        }
    }

    // From now on every call waits until Release.
    public void Close()
    {
        lock (_gate)
        {
            _open ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        TaskCompletionSource? open;
        lock (_gate)
        {
            open = _open;
            _open = null;
        }

        open?.TrySetResult();
    }

    internal Task PassAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_open is null)
                return Task.CompletedTask;
            _reached.TrySetResult();
            return _open.Task.WaitAsync(cancellationToken);
        }
    }
}
