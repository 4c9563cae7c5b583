using System.Text;
using System.Text.Json;
using BemsServer.Control;
using BemsServer.Protocol.Services;
using BemsServer.Protocol;
using BemsServer.Tenancy;

namespace BemsServer.Services;

/// <summary>
/// Files each service call in its tenant's journal beside the Connect frames (connection <c>http</c>): an <c>in</c>
/// <c>request</c> entry with the method and path, the X-Good headers and the body, and an <c>out</c> entry (<c>response</c>,
/// or <c>error</c> for a status of 400 or more) with the status, the X-Good headers and the body; both carry the same
/// <c>id</c> (<c>h1</c>, <c>h2</c>, …), so the response answers the request as a Connect completion does. The method is the
/// route (<c>POST /api/lookupuser</c>). At most <see cref="MaxBodyBytes"/> of a body are kept. The live push channel is
/// not journaled (its pushes are in the push log).
/// </summary>
internal static class ServiceJournal
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string CallerItem = "BemsServer.Services.Caller";


    /// <summary>Starts recording a call: the response is teed from now on and filed once sent. Null when the journal is off.</summary>
    public static Call? Begin(HttpContext context, FrameJournal journal, Tenant tenant)
    {
        if (!journal.Enabled) return null;
        context.Request.EnableBuffering();
        var tee = new TeeStream(context.Response.Body, MaxBodyBytes);
        context.Response.Body = tee;
        var call = new Call(context, journal, tenant, ProcessIds.Next("h"), tee);
        context.Response.OnCompleted(static state => ((Call)state).RecordResponse(), call);
        return call;
    }

    /// <summary>One journaled call.</summary>
    internal sealed class Call(HttpContext context, FrameJournal journal, Tenant tenant, string id, TeeStream tee)
    {
        private readonly string _method = MethodOf(context);

        /// <summary>Files the request (after the handler ran: the body it read is buffered; a body it left unread is read now, bounded).</summary>
        public async Task RecordRequestAsync()
        {
            var request = context.Request;
            var body = Array.Empty<byte>();
            try
            {
                request.Body.Position = 0;
                body = await BodyBytes.ReadAtMostAsync(request.Body, MaxBodyBytes, context.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or NotSupportedException)
            {
                // The body could not be read again: the entry keeps what there is.
            }
            File("in", "request", Describe(w =>
            {
                w.WriteString("http", $"{request.Method} {request.Path}{request.QueryString}");
                WriteHeaders(w, request.Headers);
                WriteBody(w, body, request.ContentType);
            }));
        }

        public Task RecordResponse()
        {
            var response = context.Response;
            File("out", response.StatusCode >= 400 ? "error" : "response", Describe(w =>
            {
                w.WriteNumber("status", response.StatusCode);
                WriteHeaders(w, response.Headers);
                WriteBody(w, tee.Captured, response.ContentType);
            }));
            return Task.CompletedTask;
        }

        private void File(string direction, string kind, byte[] utf8) =>
            journal.RecordHttp(tenant.Control.Journal, tenant.Name, context.Items[CallerItem] as string, direction, kind, _method, utf8);

        private byte[] Describe(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("id", id);
                write(writer);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }

    /// <summary>The route of the call, without the tenant's prefix: <c>POST /api/lookupuser</c>.</summary>
    public static string MethodOf(HttpContext context)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        const string TenantPrefix = "/t/{tenant}";
        if (pattern.StartsWith(TenantPrefix, StringComparison.Ordinal)) pattern = pattern[TenantPrefix.Length..];
        return $"{context.Request.Method} {pattern}";
    }

    private static void WriteHeaders(Utf8JsonWriter writer, IHeaderDictionary headers)
    {
        writer.WriteStartObject("headers");
        foreach (var (name, value) in headers.Where(static h => h.Key.StartsWith("X-Good-", StringComparison.OrdinalIgnoreCase)).OrderBy(static h => h.Key, StringComparer.OrdinalIgnoreCase))
            writer.WriteString(name, value.ToString());
        writer.WriteEndObject();
    }

    /// <summary>The body as JSON when it is JSON, else as a string (empty bodies are left out).</summary>
    private static void WriteBody(Utf8JsonWriter writer, byte[] body, string? contentType)
    {
        if (body.Length == 0) return;
        writer.WritePropertyName("body");
        try
        {
            using var document = JsonDocument.Parse(body);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            var latin1 = contentType?.Contains("8859-1", StringComparison.OrdinalIgnoreCase) == true;
            writer.WriteStringValue(latin1 ? Encoding.Latin1.GetString(body) : Encoding.UTF8.GetString(body));
        }
    }

    /// <summary>A response body that writes through and keeps a copy of the first bytes.</summary>
    internal sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public byte[] Captured => _copy.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            var room = limit - (int)_copy.Length;
            if (room > 0) _copy.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }
}
