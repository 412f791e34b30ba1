using System.Net;
using System.Net.Http.Json;
using InProc.Samples.WebApp;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace InProc.Samples.Tests;

/// <summary>
/// The sample with "InProc:Store" = PostgreSql, on the server CI starts (INPROC_POSTGRES_CONNECTION): the signup's job
/// is a row in the table, claimed and run by the app's workers. Without the server this test fails and says why.
/// </summary>
public sealed class PostgreSqlSampleTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _schema = "sample_" + Guid.NewGuid().ToString("n")[..12];
    private string? _connectionString;

    public void Dispose()
    {
        if (_connectionString is null)
        {
            return; // no server was used
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        drop.ExecuteNonQuery();
    }

    [Fact]
    public async Task PostSignup_WithThePostgreSqlStore_RunsTheJobFromTheTable()
    {
        _connectionString = Environment.GetEnvironmentVariable("INPROC_POSTGRES_CONNECTION") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "INPROC_POSTGRES_CONNECTION is not set: this test runs the sample against a PostgreSQL server. Locally: eval \"$(.ci/postgres.sh start)\" (CI does this itself).");
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("InProc:Store", "PostgreSql");
            web.UseSetting("ConnectionStrings:InProc", _connectionString);
            web.UseSetting("InProc:Schema", _schema);
            web.ConfigureTestServices(services => services.AddSingleton<IMailer, RecordingMailer>());
        });
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<SignupAccepted>())!;
        Assert.Equal(1L, Scalar($"SELECT count(*) FROM {_schema}.jobs WHERE id = '{accepted.JobId}'")); // committed before the 202

        var sent = app.Services.GetRequiredService<SentEmails>();
        using var cancel = new CancellationTokenSource(Patience);
        while ((await client.GetFromJsonAsync<JobSnapshot>($"/jobs/{accepted.JobId}", cancel.Token))!.State != JobState.Succeeded)
        {
            await Task.Delay(20, cancel.Token); // bounded poll of the server's state
        }

        Assert.Equal(("ada@example.com", accepted.JobId), (Assert.Single(sent.ToList()).Email, sent.ToList()[0].JobId));
        Assert.Equal(0L, Scalar($"SELECT count(*) FROM {_schema}.unique_keys")); // the user's unique key went with the job's end
    }

    [Fact]
    public void AnUnknownStore_OrAMissingConnectionString_IsRefusedWithWhatToSet()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Start(("InProc:Store", "PostgreSql")));
        Assert.Contains("ConnectionStrings:InProc", missing.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InvalidOperationException>(() => Start(("InProc:Store", "Redis")));
        Assert.Contains("use Memory (the default) or PostgreSql", unknown.Message, StringComparison.Ordinal);
    }

    private static void Start(params (string Key, string Value)[] settings)
    {
        using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        using var client = app.CreateClient();
    }

    private long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString!);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }
}
