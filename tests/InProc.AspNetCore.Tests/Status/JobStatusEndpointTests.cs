using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Status;

public sealed class JobStatusEndpointTests
{
    [Fact]
    public async Task MapInProcJobStatus_KnownJob_AnswersItsSnapshotWithEnumsAsNames()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcJobStatus());
        var id = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(5));
        using var client = app.Client(user: null);

        using var response = await client.GetAsync($"/jobs/{id}");
        var text = await response.Content.ReadAsStringAsync();
        var snapshot = JsonSerializer.Deserialize<JobSnapshot>(text, JsonSerializerOptions.Web)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"state\":\"Scheduled\"", text, StringComparison.Ordinal);
        Assert.Equal(id, snapshot.Id);
        Assert.Equal(JobState.Scheduled, snapshot.State);
        Assert.Equal("mail", snapshot.Queue);
        Assert.Equal(app.Clock!.GetUtcNow().AddMinutes(5), snapshot.NextAttemptAt);
    }

    [Fact]
    public async Task MapInProcJobStatus_UnknownId_Answers404ProblemDetails()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcJobStatus("/status/{id}"));
        using var client = app.Client(user: null);

        using var response = await client.GetAsync($"/status/{new string('a', 28)}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Unknown job", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("0000000000000000000000000000")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public async Task MapInProcJobStatus_MalformedId_Answers400ProblemDetails(string id)
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcJobStatus());
        using var client = app.Client(user: null);

        using var response = await client.GetAsync($"/jobs/{id}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Not a job id", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task MapInProcJobStatus_PatternWithoutId_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestApp.StartAsync(a => a.MapInProcJobStatus("/jobs/{key}")));

        Assert.Contains("{id}", error.Message, StringComparison.Ordinal);
    }
}
