using System.Text.RegularExpressions;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed partial class DashboardEncodingTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Attribute = "\"><img src=x onerror=alert(2)>";

    [Theory]
    [InlineData("/dead")]
    [InlineData("/jobs/{id}")]
    [InlineData("/jobs?state=Failed")]
    public async Task Page_MessageAndExceptionWithMarkup_RendersThemAsText(string path)
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.DeadLetterAsync(Script + " " + Attribute); // the exception's message, and the message's Text property
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + path.Replace("{id}", id.ToString(), StringComparison.Ordinal));

        Assert.Contains(id.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(Script, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Attribute, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(EventHandlerAttribute().Matches(html));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_Markup_HasOnlyTheEmbeddedScriptAndNoInlineCode()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, "nightly"));
        await app.DeadLetterAsync("x");
        using var client = app.Client();

        foreach (var path in new[] { "/", "/jobs", "/scheduled", "/dead", "/recurring" })
        {
            var html = await client.GetStringAsync(TestApp.Prefix + path);

            Assert.Equal(["<script src=\"/inproc/assets/dashboard.js\" defer></script>"], ScriptTag().Matches(html).Select(m => m.Value));
            Assert.Empty(EventHandlerAttribute().Matches(html));
            Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("//", html.Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal); // no CDN, no absolute URL
        }
    }

    // An on…= attribute inside a real tag (encoded text has no raw '<').
    [GeneratedRegex(@"<[a-zA-Z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"<script[^>]*>[^<]*</script>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
