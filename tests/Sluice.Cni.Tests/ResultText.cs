using System.Buffers;
using System.Text;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

/// <summary>Results to and from JSON text, through their shape, for tests.</summary>
internal static class ResultText
{
    public static CniResult Read(string json) => CniResult.Read(Encoding.UTF8.GetBytes(json), "result");

    public static string Write(CniResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        result.WriteTo(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
