using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using static Sluice.Cni.Json.JsonFields;

namespace Sluice.Cni.Results;

/// <summary>
/// Reads a result (a <c>prevResult</c>) by hand, as the source-generated serializer reads
/// <see cref="CniResult"/>: keys match without regard to case, unknown keys are skipped, a value
/// of the wrong type is a decoding failure naming the field. No serializer metadata is created.
/// </summary>
public static class CniResultReader
{
    /// <summary>Parses <paramref name="json"/>; <paramref name="what"/> names the input in errors (<c>prevResult</c>).</summary>
    public static CniResult Read(ReadOnlySpan<byte> json, string what)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{what} is empty");
        }

        try
        {
            return ReadWhole(json, static (ref Utf8JsonReader reader) => Read(ref reader, "")) ??
                   throw new CniException(CniErrorCode.DecodingFailure, $"{what} is null");
        }
        catch (JsonFieldException error)
        {
            throw error.ToCniError(what);
        }
        catch (JsonException error)
        {
            throw JsonDecoding.Describe(error, what);
        }
    }

    /// <summary>The result at the reader's position; null for JSON <c>null</c>.</summary>
    public static CniResult? Read(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var result = new CniResult();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "cniVersion"))
            {
                result.CniVersion = String(ref reader, at);
            }
            else if (KeyIs(key, "interfaces"))
            {
                result.Interfaces = List(ref reader, at, Interface);
            }
            else if (KeyIs(key, "ips"))
            {
                result.Ips = List(ref reader, at, IpConfig);
            }
            else if (KeyIs(key, "routes"))
            {
                result.Routes = List(ref reader, at, Route);
            }
            else if (KeyIs(key, "dns"))
            {
                result.Dns = CniDnsReader.Read(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return result;
    }

    private delegate T? ReadItem<T>(ref Utf8JsonReader reader, string path)
        where T : class;

    private static List<T>? List<T>(ref Utf8JsonReader reader, string path, ReadItem<T> item)
        where T : class
    {
        if (!StartArray(ref reader, path))
        {
            return null;
        }

        var list = new List<T>();
        while (NextItem(ref reader))
        {
            list.Add(item(ref reader, $"{path}[{list.Count}]")!);
        }

        return list;
    }

    private static CniInterface? Interface(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var item = new CniInterface();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "name"))
            {
                item.Name = String(ref reader, at)!;
            }
            else if (KeyIs(key, "mac"))
            {
                item.Mac = String(ref reader, at);
            }
            else if (KeyIs(key, "mtu"))
            {
                item.Mtu = Int32(ref reader, at);
            }
            else if (KeyIs(key, "sandbox"))
            {
                item.Sandbox = String(ref reader, at);
            }
            else if (KeyIs(key, "socketPath"))
            {
                item.SocketPath = String(ref reader, at);
            }
            else if (KeyIs(key, "pciID"))
            {
                item.PciId = String(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return item;
    }

    private static CniIpConfig? IpConfig(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var item = new CniIpConfig();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "version"))
            {
                item.Version = String(ref reader, at);
            }
            else if (KeyIs(key, "address"))
            {
                item.Address = String(ref reader, at)!;
            }
            else if (KeyIs(key, "gateway"))
            {
                item.Gateway = String(ref reader, at);
            }
            else if (KeyIs(key, "interface"))
            {
                item.Interface = Int32(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return item;
    }

    private static CniRoute? Route(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var item = new CniRoute();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "dst"))
            {
                item.Dst = String(ref reader, at)!;
            }
            else if (KeyIs(key, "gw"))
            {
                item.Gw = String(ref reader, at);
            }
            else if (KeyIs(key, "mtu"))
            {
                item.Mtu = Int32(ref reader, at);
            }
            else if (KeyIs(key, "advmss"))
            {
                item.AdvMss = Int32(ref reader, at);
            }
            else if (KeyIs(key, "priority"))
            {
                item.Priority = Int32(ref reader, at);
            }
            else if (KeyIs(key, "table"))
            {
                item.Table = Int32(ref reader, at);
            }
            else if (KeyIs(key, "scope"))
            {
                item.Scope = Int32(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return item;
    }
}
