using ChatOps.Host.Hosting;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace ChatOps.IntegrationTests.Hosting;

public sealed class RequestLogLevelTests
{
    [Fact]
    public void A_request_the_caller_hung_up_on_is_a_debug_line_and_a_failure_of_the_bot_is_still_an_error()
    {
        using var hungUp = new CancellationTokenSource();
        hungUp.Cancel();
        var aborted = new DefaultHttpContext { RequestAborted = hungUp.Token };
        var answered = new DefaultHttpContext();
        var failed = new DefaultHttpContext { Response = { StatusCode = 503 } };

        Assert.Equal(LogEventLevel.Debug, ChatOpsLogging.RequestLevel(aborted, 12, new TaskCanceledException()));
        Assert.Equal(LogEventLevel.Error, ChatOpsLogging.RequestLevel(answered, 12, new TaskCanceledException()));
        Assert.Equal(LogEventLevel.Error, ChatOpsLogging.RequestLevel(aborted, 12, new InvalidOperationException("bug")));
        Assert.Equal(LogEventLevel.Error, ChatOpsLogging.RequestLevel(failed, 12, null));
        Assert.Equal(LogEventLevel.Information, ChatOpsLogging.RequestLevel(answered, 12, null));
    }
}
