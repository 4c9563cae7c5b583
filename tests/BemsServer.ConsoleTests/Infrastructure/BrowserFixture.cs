using Microsoft.Playwright;

namespace BemsServer.ConsoleTests.Infrastructure;

/// <summary>
/// One headless Chromium for every browser test: Debian's <c>chromium</c> package (installed by .ci/install-deps.sh),
/// driven by Playwright's driver from its NuGet package. A missing browser fails the tests, naming the script.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"Chromium is not installed (looked for {string.Join(" and ", Candidates)}). Run .ci/install-deps.sh (it installs the Debian package 'chromium').");
        Assertions.SetDefaultExpectTimeout(ConsolePage.Timeout);
        if (Directory.Exists(ConsolePage.FailureFolder)) Directory.Delete(ConsolePage.FailureFolder, recursive: true); // this run's failures only
        _playwright = await Playwright.CreateAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser tests run one at a time: one collection, no parallelization.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
