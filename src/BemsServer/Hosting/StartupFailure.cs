using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BemsServer.Hosting;

/// <summary>A setting whose value keeps the server from starting (a seed file that is missing or malformed, say).</summary>
internal sealed class ConfigurationException(string setting, string? value, string reason, Exception? inner = null)
    : Exception($"{setting} = '{value}': {reason}", inner)
{
    public string Setting { get; } = setting;

    /// <summary>Runs a start-up step that reads the file a setting names; a file it cannot read becomes this exception.</summary>
    public static T Reading<T>(string setting, string? value, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(setting, value, OneLine(ex.Message), ex);
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

/// <summary>
/// Turns what stopped the server from starting into one line for a person: the setting, its value and what is wrong
/// with it. Bad configuration is the usual cause; the framework's exceptions for it (options validation, binding,
/// a busy port) are recognised here, anything else is told by its message.
/// </summary>
internal static partial class StartupFailure
{
    public const string Prefix = "BemsServer cannot start: ";

    public static string Describe(Exception exception, IConfiguration configuration) =>
        Prefix + string.Join("; ", Causes(exception).Select(e => DescribeOne(e, configuration)).Distinct(StringComparer.Ordinal));

    private static IEnumerable<Exception> Causes(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.Flatten().InnerExceptions,
        TargetInvocationException { InnerException: { } inner } => Causes(inner),
        _ => [exception],
    };

    private static string DescribeOne(Exception exception, IConfiguration configuration) => exception switch
    {
        ConfigurationException configured => configured.Message,
        OptionsValidationException invalid => string.Join("; ", invalid.Failures.Select(f => DescribeValidation(invalid.OptionsType, f, configuration))),
        IOException { InnerException: AddressInUseException } busy =>
            $"Urls = '{configuration["Urls"]}': the address is already in use ({ConfigurationException.OneLine(busy.Message)})",
        _ when exception.Message.StartsWith("Invalid url", StringComparison.OrdinalIgnoreCase) =>
            Setting("Urls", configuration, "not a URL such as http://localhost:8080"),
        InvalidOperationException when ConversionFailure().Match(exception.Message) is { Success: true } match =>
            Setting(match.Groups["key"].Value, configuration, $"not a valid {Friendly(match.Groups["type"].Value)}"),
        _ => ConfigurationException.OneLine(exception.Message),
    };

    /// <summary>Names the setting behind a validation failure and the value it was given.</summary>
    private static string DescribeValidation(Type optionsType, string failure, IConfiguration configuration)
    {
        var section = optionsType.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        if (section is not null && DataAnnotationFailure().Match(failure) is { Success: true } annotation)
            return Setting($"{section}:{annotation.Groups["member"].Value}", configuration, annotation.Groups["error"].Value);
        // Our own checks start with the setting's full name ("Bems:Chat:InvitationTimeout must be positive.").
        return KeyFirst().Match(failure) is { Success: true } key
            ? Setting(key.Value, configuration, failure[key.Length..].Trim())
            : failure;
    }

    private static string Setting(string key, IConfiguration configuration, string reason) =>
        $"{key} = '{configuration[key]}': {reason.TrimEnd('.')}";

    private static string Friendly(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "whole number",
        "System.TimeSpan" => "duration (hh:mm:ss)",
        "System.Boolean" => "true/false value",
        _ when type.StartsWith("BemsServer.", StringComparison.Ordinal) => $"{type[(type.LastIndexOf('.') + 1)..]} ({string.Join(", ", EnumNames(type))})",
        _ => type,
    };

    private static string[] EnumNames(string type) =>
        typeof(StartupFailure).Assembly.GetType(type) is { IsEnum: true } e ? Enum.GetNames(e) : [];

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex("^Bems(:[A-Za-z0-9]+)+")]
    private static partial Regex KeyFirst();
}
