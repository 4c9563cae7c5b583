using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace BemsServer.ConsoleTests.Infrastructure;

/// <summary>
/// Opens the console in a fresh browser context and runs a test against it; a failed test leaves a screenshot and the
/// page's HTML in <c>console-failures/</c> of the test output folder.
/// </summary>
public static class ConsolePage
{
    /// <summary>Playwright's wait for a selector; generous, because the machine may be busy (the waits end as soon as it shows).</summary>
    public const float Timeout = 15_000;

    /// <summary>A URL fragment that tells <see cref="RunAsync(BrowserFixture, string, Func{IPage, Task}, string)"/> not to wait for the page to be live (it will ask for the token first).</summary>
    public const string AsksForToken = "#token";

    public static string FailureFolder => Path.Combine(AppContext.BaseDirectory, "console-failures");

    public static Task RunAsync(BrowserFixture browser, string url, Func<IPage, Task> test, [CallerMemberName] string name = "") =>
        RunAsync(browser, url, static _ => Task.CompletedTask, test, name);

    /// <summary>As above, with <paramref name="prepare"/> run on the browser context before the page opens (to route its sockets).</summary>
    public static async Task RunAsync(BrowserFixture browser, string url, Func<IBrowserContext, Task> prepare, Func<IPage, Task> test, [CallerMemberName] string name = "")
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await prepare(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        try
        {
            await page.GotoAsync(url);
            if (!url.Contains(AsksForToken, StringComparison.Ordinal)) await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live");
            await test(page);
        }
        catch
        {
            Directory.CreateDirectory(FailureFolder);
            var file = Path.Combine(FailureFolder, name);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file + ".png", FullPage = true });
            await File.WriteAllTextAsync(file + ".html", await page.ContentAsync());
            throw;
        }
    }

    public static ILocator Row(this IPage page, string method, string direction) =>
        page.Locator($"#frames tr.frame[data-method=\"{method}\"][data-direction=\"{direction}\"]");
}
