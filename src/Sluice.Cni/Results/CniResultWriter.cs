using System.Buffers;
using System.Text.Json;
using Sluice.Cni.Config;

namespace Sluice.Cni.Results;

/// <summary>
/// Writes a result by hand, byte for byte as the source-generated serializer writes
/// <see cref="CniResult"/> (indented, nulls left out, fields in declaration order), without
/// creating the serializer's metadata.
/// </summary>
public static class CniResultWriter
{
    public static void Write(IBufferWriter<byte> output, CniResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, SkipValidation = true, Encoder = Json.LazyDefaultEncoder.Instance });
        json.WriteStartObject();
        Text(json, "cniVersion", result.CniVersion);
        if (result.Interfaces is { } interfaces)
        {
            json.WriteStartArray("interfaces");
            foreach (var item in interfaces)
            {
                Interface(json, item);
            }

            json.WriteEndArray();
        }

        if (result.Ips is { } ips)
        {
            json.WriteStartArray("ips");
            foreach (var ip in ips)
            {
                IpConfig(json, ip);
            }

            json.WriteEndArray();
        }

        if (result.Routes is { } routes)
        {
            json.WriteStartArray("routes");
            foreach (var route in routes)
            {
                Route(json, route);
            }

            json.WriteEndArray();
        }

        if (result.Dns is { } dns)
        {
            json.WritePropertyName("dns");
            Dns(json, dns);
        }

        json.WriteEndObject();
    }

    private static void Interface(Utf8JsonWriter json, CniInterface? item)
    {
        if (item is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        Text(json, "name", item.Name);
        Text(json, "mac", item.Mac);
        Number(json, "mtu", item.Mtu);
        Text(json, "sandbox", item.Sandbox);
        Text(json, "socketPath", item.SocketPath);
        Text(json, "pciID", item.PciId);
        json.WriteEndObject();
    }

    private static void IpConfig(Utf8JsonWriter json, CniIpConfig? ip)
    {
        if (ip is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        Text(json, "version", ip.Version);
        Text(json, "address", ip.Address);
        Text(json, "gateway", ip.Gateway);
        Number(json, "interface", ip.Interface);
        json.WriteEndObject();
    }

    private static void Route(Utf8JsonWriter json, CniRoute? route)
    {
        if (route is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        Text(json, "dst", route.Dst);
        Text(json, "gw", route.Gw);
        Number(json, "mtu", route.Mtu);
        Number(json, "advmss", route.AdvMss);
        Number(json, "priority", route.Priority);
        Number(json, "table", route.Table);
        Number(json, "scope", route.Scope);
        json.WriteEndObject();
    }

    private static void Dns(Utf8JsonWriter json, CniDns dns)
    {
        json.WriteStartObject();
        Texts(json, "nameservers", dns.Nameservers);
        Text(json, "domain", dns.Domain);
        Texts(json, "search", dns.Search);
        Texts(json, "options", dns.Options);
        json.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }

    private static void Texts(Utf8JsonWriter json, string name, List<string>? values)
    {
        if (values is null)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            if (value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue(value);
            }
        }

        json.WriteEndArray();
    }
}
