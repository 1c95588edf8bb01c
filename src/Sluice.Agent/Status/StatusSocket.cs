using System.Text;
using System.Text.Json;

namespace Sluice.Agent.Status;

/// <summary>The status socket's protocol: the path in the run dir, the one request, the answer (one line of JSON, bounded).</summary>
public static class StatusSocket
{
    public const string Request = "STATUS";

    /// <summary>Far above a node's answer (110 pods and 10 plugin errors take about 100 KiB).</summary>
    public const int MaxAnswer = 1 << 20;

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public static string PathIn(string runDir) => Path.Combine(runDir, "status.sock");

    public static byte[] Encode(LiveStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            LiveStatus.Shape.Write(json, status);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <exception cref="JsonException">The answer is not a status.</exception>
    public static LiveStatus Decode(string line) =>
        Sluice.Json.JsonText.Read(Encoding.UTF8.GetBytes(line), LiveStatus.Shape) ?? throw new JsonException("the answer is null");
}
