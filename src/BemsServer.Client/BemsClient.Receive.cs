using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using BemsServer.Protocol;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Exception reason = new BemsConnectionClosedException("The server closed the connection.");
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(4096), _stop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    buffer.Advance(result.Count);
                } while (!result.EndOfMessage);
                using var frame = JsonDocument.Parse(buffer.WrittenMemory);
                Dispatch(frame.RootElement);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException)
        {
            reason = ex;
        }
        finally
        {
            var closed = new BemsConnectionClosedException($"The connection closed ({_socket.CloseStatus?.ToString() ?? "no close status"}).", reason);
            _closed = closed;
            foreach (var call in _calls.Values) call.Result.TrySetException(closed);
            _events.Close(closed);
        }
    }

    /// <summary>
    /// Routes one frame: an answer to a pending call (its first frame may be PROCESSING; the next non-PROCESSING frame, or
    /// an error, ends the call), a MessageUpdate to the SendMessage with its messageId, anything else is an event.
    /// </summary>
    private void Dispatch(JsonElement frame)
    {
        var id = frame.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var error = frame.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var data = frame.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object
            ? r.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : r
            : default;

        if (id is not null && _calls.TryGetValue(id, out var call))
        {
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code))
            {
                call.Result.TrySetException(new BemsRpcException(call.Method, code.TryGetInt32(out var c) ? c : 0, Text(error, "message") ?? "",
                    error.TryGetProperty("data", out var errorData) ? errorData.Clone() : null));
                return;
            }
            if (Text(data, "state") != "PROCESSING") call.Result.TrySetResult(new Answer(data.ValueKind == JsonValueKind.Undefined ? default : data.Clone(), null));
            return;
        }

        if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("data", out var updateData) && Text(updateData, "method") == MethodNames.MessageUpdate)
        {
            var update = updateData.Deserialize(BemsJsonContext.Default.MessageUpdateData);
            if (update is not null && _messages.TryGetValue(update.MessageId, out var sent)) sent.Result.TrySetResult(new Answer(default, update));
            else if (update is not null) _events.Add(update);
            return;
        }

        var method = Text(data, "method") ?? Text(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("data", out var ed) ? ed : default, "method");
        _events.Add(Events.Parse(method ?? "", data.ValueKind == JsonValueKind.Object ? data : frame));
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
