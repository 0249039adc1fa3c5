using ChatOps.Host.ChatLanes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>The queue both chat adapters hand their updates to; every wait here is on a signal, never on time.</summary>
public sealed class ChatWorkQueueTests
{
    private static ChatWorkQueue Queue(int capacity = 10, int workers = 2) => new("test", capacity, workers, NullLogger.Instance);

    [Fact]
    public async Task A_button_press_is_handled_while_a_slow_command_is_still_running()
    {
        var queue = Queue(workers: 1);
        var slow = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        var command = queue.TryEnqueue("chat:1", "slow /status", _ =>
        {
            running.SetResult();
            return slow.Task;
        })!;
        await running.Task;
        var otherCommand = queue.TryEnqueue("chat:2", "another command", _ => Task.CompletedTask)!;

        var press = queue.TryEnqueue(null, "Approve", _ => Task.CompletedTask)!;

        await press;
        Assert.False(command.IsCompleted);
        Assert.False(otherCommand.IsCompleted, "the only command slot is taken, yet the press went through");
        slow.SetResult();
        await Task.WhenAll(command, otherCommand);
    }

    [Fact]
    public async Task One_chats_commands_run_in_the_order_they_came_and_other_chats_do_not_wait_for_them()
    {
        var queue = Queue();
        var order = new List<int>();
        var first = new TaskCompletionSource();
        var a = queue.TryEnqueue("chat:1", "first", async _ =>
        {
            await first.Task;
            lock (order)
                order.Add(1);
        })!;
        var b = queue.TryEnqueue("chat:1", "second", _ =>
        {
            lock (order)
                order.Add(2);
            return Task.CompletedTask;
        })!;

        await queue.TryEnqueue("chat:2", "elsewhere", _ => Task.CompletedTask)!;
        Assert.False(b.IsCompleted);
        first.SetResult();
        await Task.WhenAll(a, b);

        Assert.Equal([1, 2], order);
    }

    [Fact]
    public async Task A_full_queue_refuses_more_work_and_takes_it_again_once_there_is_room()
    {
        var queue = Queue(capacity: 1);
        var gate = new TaskCompletionSource();
        var held = queue.TryEnqueue("chat:1", "held", _ => gate.Task)!;

        Assert.Null(queue.TryEnqueue(null, "one too many", _ => Task.CompletedTask));
        gate.SetResult();
        await held;
        Assert.NotNull(queue.TryEnqueue(null, "now there is room", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task Work_cut_off_at_shutdown_is_said_lost_and_work_that_failed_does_not_stop_the_queue()
    {
        var queue = Queue();
        var lost = new List<string>();
        var fails = queue.TryEnqueue("chat:1", "fails", _ => throw new InvalidOperationException("boom"))!;
        var hanging = queue.TryEnqueue("chat:1", "never ends", token => Task.Delay(Timeout.Infinite, token), _ =>
        {
            lock (lost)
                lost.Add("never ends");
            return Task.CompletedTask;
        })!;

        await queue.StopAsync(TimeSpan.Zero);

        Assert.True(fails.IsCompletedSuccessfully);
        Assert.True(hanging.IsCompletedSuccessfully);
        Assert.Equal(["never ends"], lost);
        Assert.Null(queue.TryEnqueue(null, "after shutdown", _ => Task.CompletedTask));
    }
}
