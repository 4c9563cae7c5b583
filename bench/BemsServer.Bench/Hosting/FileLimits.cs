using System.Globalization;

namespace BemsServer.Bench.Hosting;

/// <summary>A process's "Max open files" limits and the descriptors it has open, from /proc (Linux only).</summary>
internal sealed record FileLimits(long Soft, long Hard, int Open)
{
    /// <summary>The limits of process <paramref name="pid"/>; null when /proc cannot say (not Linux, no access, unlimited).</summary>
    public static FileLimits? Of(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var soft)
                        && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var hard)
                        ? new FileLimits(soft, hard, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length)
                        : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Descriptors this process can still open.</summary>
    public long Room => Soft - Open;
}
