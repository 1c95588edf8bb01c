using System.Text.Json;
using Sluice.Cni.Json;

namespace Sluice.Cni.Config;

/// <summary>Reads a <c>dns</c> object (configuration, runtimeConfig or result) by hand; keys match without regard to case, unknown keys are skipped.</summary>
public static class CniDnsReader
{
    public static CniDns? Read(ref Utf8JsonReader reader, string path)
    {
        if (!JsonFields.StartObject(ref reader, path))
        {
            return null;
        }

        var dns = new CniDns();
        while (JsonFields.NextKey(ref reader, out var key))
        {
            if (JsonFields.KeyIs(key, "nameservers"))
            {
                dns.Nameservers = JsonFields.StringList(ref reader, JsonFields.Child(path, key));
            }
            else if (JsonFields.KeyIs(key, "domain"))
            {
                dns.Domain = JsonFields.String(ref reader, JsonFields.Child(path, key));
            }
            else if (JsonFields.KeyIs(key, "search"))
            {
                dns.Search = JsonFields.StringList(ref reader, JsonFields.Child(path, key));
            }
            else if (JsonFields.KeyIs(key, "options"))
            {
                dns.Options = JsonFields.StringList(ref reader, JsonFields.Child(path, key));
            }
            else
            {
                reader.Skip();
            }
        }

        return dns;
    }
}
