global using BemsServer.ConsoleTests.Infrastructure;
global using BemsServer.TestInfrastructure;
global using static Microsoft.Playwright.Assertions;
