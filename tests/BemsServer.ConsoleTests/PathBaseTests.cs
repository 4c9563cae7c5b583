namespace BemsServer.ConsoleTests;

/// <summary>The emulator behind a reverse proxy that forwards <c>/bems/…</c>: <c>Bems:PathBase=/bems</c>.</summary>
public sealed class PathBaseHost() : BemsHost(new Dictionary<string, string?> { ["Bems:PathBase"] = "/bems" });

[Collection(BrowserCollection.Name)]
public sealed class PathBaseTests(BrowserFixture browser, PathBaseHost host) : IClassFixture<PathBaseHost>
{
    [Fact]
    public async Task ConsoleUnderAPathBase_ConnectsAndShowsFrames()
    {
        var name = host.Emulator.NewTenant().Name;
        await ConsolePage.RunAsync(browser, $"{host.BaseAddress}bems/console?tenant={name}", async page =>
        {
            page.Url.Should().StartWith($"{host.BaseAddress}bems/console/");
            await using var alice = await host.SignInAsync(new Uri($"ws://{host.BaseAddress.Authority}/bems/t/{name}/"), "alice@example.com");
            await alice.CallAsync("Ping");
            await Expect(page.Row("Ping", "in")).ToBeVisibleAsync();
            await Expect(page.Locator("#people tr[data-user='sip:alice@example.com']")).ToContainTextAsync("alice@example.com");
            await alice.CallAsync("SetPresence", new { presence = "busy", personalMessage = "In a meeting" });
            await Expect(page.Locator("#people tr[data-user='sip:alice@example.com'] td.presence")).ToHaveTextAsync("busy · In a meeting");
        });
    }
}

[Collection(BrowserCollection.Name)]
public sealed class TokenPageTests(BrowserFixture browser, TokenHost host) : IClassFixture<TokenHost>
{
    [Fact]
    public async Task WithAnAdminToken_ThePageAsksForItThenGoesLive()
    {
        await ConsolePage.RunAsync(browser, $"{host.BaseAddress}console/{ConsolePage.AsksForToken}", async page =>
        {
            await Expect(page.Locator("#token-form")).ToBeVisibleAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("disconnected");
            await page.FillAsync("#token", "s3cret");
            await page.ClickAsync("#token-form button");
            await Expect(page.Locator("#status")).ToHaveTextAsync("live");
            await Expect(page.Locator("#people tr[data-user='sip:echo@example.com']")).ToBeVisibleAsync();
        });
    }
}
