global using BemsServer.ConsoleTests.Infrastructure;
global using BemsServer.IntegrationTests.Infrastructure;
global using static Microsoft.Playwright.Assertions;
