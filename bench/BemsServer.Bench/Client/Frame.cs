using System.Text.Json;

namespace BemsServer.Bench.Client;

internal enum FrameMethod : byte
{
    None,
    Other,
    BeginSession,
    StartChat,
    AcceptChat,
    SendMessage,
    MessageReceived,
    InvitationReceived,
    InvitationUpdate,
    MessageUpdate,
}

internal enum FrameState : byte
{
    None,
    Other,
    Processing,
    Complete,
}

/// <summary>
/// What the load client needs from one received BEMS frame. Strings are only
/// materialised for the rare set-up fields (requestId), never on the hot path.
/// </summary>
internal struct Frame
{
    /// <summary>Number of a client request id "c&lt;digits&gt;", or -1.</summary>
    public long ClientId;

    /// <summary>True when the id starts with "S" or "s" (a server event).</summary>
    public bool IsServerId;

    public FrameMethod Method;
    public FrameState State;

    /// <summary>True when the top-level "error" is present and not null.</summary>
    public bool IsError;

    /// <summary>True when the error object has a JSON-RPC "code".</summary>
    public bool HasErrorCode;

    /// <summary>Sequence number parsed from a bench message text "bm&lt;digits&gt;…", or -1.</summary>
    public long MessageSeq;

    public string? RequestId;
}

internal static class FrameParser
{
    /// <summary>Parses one frame; returns false for anything that is not a JSON object.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out Frame frame)
    {
        frame = new Frame { ClientId = -1, MessageSeq = -1 };
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        ReadId(ref reader, ref frame);
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        frame.IsError = true;
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadContainer(ref reader, ref frame, isError: true);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadContainer(ref reader, ref frame, isError: false);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("method"u8))
                {
                    // Top-level method: a request, as R1 echoes it back.
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && frame.Method == FrameMethod.None)
                    {
                        frame.Method = ToMethod(reader.ValueSpan);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadId(ref Utf8JsonReader reader, ref Frame frame)
    {
        var id = reader.ValueSpan;
        if (id.Length == 0)
        {
            return;
        }

        if (id[0] is (byte)'S' or (byte)'s')
        {
            frame.IsServerId = true;
        }
        else if (id[0] == (byte)'c' && id.Length > 1)
        {
            frame.ClientId = ParseDigits(id[1..]);
        }
    }

    /// <summary>Reads a "result" or "error" object: its "data" object and, for errors, "code".</summary>
    private static void ReadContainer(ref Utf8JsonReader reader, ref Frame frame, bool isError)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadData(ref reader, ref frame);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                if (isError && reader.ValueTextEquals("code"u8))
                {
                    frame.HasErrorCode = true;
                }

                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadData(ref Utf8JsonReader reader, ref Frame frame)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    frame.Method = ToMethod(reader.ValueSpan);
                }
            }
            else if (reader.ValueTextEquals("state"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    frame.State = reader.ValueTextEquals("COMPLETE"u8) ? FrameState.Complete
                        : reader.ValueTextEquals("PROCESSING"u8) ? FrameState.Processing
                        : FrameState.Other;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    var text = reader.ValueSpan;
                    if (text.Length > 2 && text[0] == (byte)'b' && text[1] == (byte)'m')
                    {
                        frame.MessageSeq = ParseDigits(text[2..]);
                    }
                }
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    frame.RequestId = reader.GetString();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Leading decimal digits (stops at the first non-digit); -1 when there are none.</summary>
    internal static long ParseDigits(ReadOnlySpan<byte> s)
    {
        long value = 0;
        var n = 0;
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9' || n == 18)
            {
                break;
            }

            value = (value * 10) + (b - '0');
            n++;
        }

        return n == 0 ? -1 : value;
    }

    private static FrameMethod ToMethod(ReadOnlySpan<byte> m) => m switch
    {
        _ when m.SequenceEqual("SendMessage"u8) => FrameMethod.SendMessage,
        _ when m.SequenceEqual("MessageReceived"u8) => FrameMethod.MessageReceived,
        _ when m.SequenceEqual("BeginSession"u8) => FrameMethod.BeginSession,
        _ when m.SequenceEqual("StartChat"u8) => FrameMethod.StartChat,
        _ when m.SequenceEqual("AcceptChat"u8) => FrameMethod.AcceptChat,
        _ when m.SequenceEqual("InvitationReceived"u8) => FrameMethod.InvitationReceived,
        _ when m.SequenceEqual("InvitationUpdate"u8) => FrameMethod.InvitationUpdate,
        _ when m.SequenceEqual("MessageUpdate"u8) => FrameMethod.MessageUpdate,
        _ => FrameMethod.Other,
    };
}
