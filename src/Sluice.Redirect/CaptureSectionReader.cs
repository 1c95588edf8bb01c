using System.Text.Json;
using static Sluice.Cni.Json.JsonFields;

namespace Sluice.Redirect;

/// <summary>Reads the <c>capture</c> section of <see cref="RedirectConfig"/> by hand (see <see cref="RedirectConfigReader"/>); lists stay raw JSON for <see cref="RedirectSettings"/> to check.</summary>
internal static class CaptureSectionReader
{
    public static CaptureSection? Read(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var section = new CaptureSection();
        while (NextKey(ref reader, out var key))
        {
            if (!ReadNumber(section, key, ref reader, Child(path, key)) && !ReadOther(section, key, ref reader, Child(path, key)))
            {
                reader.Skip();
            }
        }

        return section;
    }

    private static bool ReadNumber(CaptureSection section, string key, ref Utf8JsonReader reader, string at)
    {
        if (KeyIs(key, "outboundPort"))
        {
            section.OutboundPort = Int32(ref reader, at);
        }
        else if (KeyIs(key, "inboundPort"))
        {
            section.InboundPort = Int32(ref reader, at);
        }
        else if (KeyIs(key, "proxyUid"))
        {
            section.ProxyUid = Int64(ref reader, at);
        }
        else if (KeyIs(key, "proxyGid"))
        {
            section.ProxyGid = Int64(ref reader, at);
        }
        else if (KeyIs(key, "tproxyMark"))
        {
            section.TproxyMark = Int64(ref reader, at);
        }
        else if (KeyIs(key, "tproxyTable"))
        {
            section.TproxyTable = Int32(ref reader, at);
        }
        else if (KeyIs(key, "dnsPort"))
        {
            section.DnsPort = Int32(ref reader, at);
        }
        else if (KeyIs(key, "mediaPort"))
        {
            section.MediaPort = Int32(ref reader, at);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static bool ReadOther(CaptureSection section, string key, ref Utf8JsonReader reader, string at)
    {
        if (KeyIs(key, "inboundMode"))
        {
            section.InboundMode = String(ref reader, at);
        }
        else if (KeyIs(key, "families"))
        {
            section.Families = String(ref reader, at);
        }
        else if (KeyIs(key, "redirectDns"))
        {
            section.RedirectDns = Boolean(ref reader, at);
        }
        else if (KeyIs(key, "dropInvalid"))
        {
            section.DropInvalid = Boolean(ref reader, at);
        }
        else if (KeyIs(key, "inboundPorts"))
        {
            section.InboundPorts = Raw(ref reader);
        }
        else if (KeyIs(key, "inboundExcludePorts"))
        {
            section.InboundExcludePorts = Raw(ref reader);
        }
        else if (KeyIs(key, "outboundCidrs"))
        {
            section.OutboundCidrs = Raw(ref reader);
        }
        else if (KeyIs(key, "outboundExcludeCidrs"))
        {
            section.OutboundExcludeCidrs = Raw(ref reader);
        }
        else if (KeyIs(key, "outboundPorts"))
        {
            section.OutboundPorts = Raw(ref reader);
        }
        else if (KeyIs(key, "outboundExcludePorts"))
        {
            section.OutboundExcludePorts = Raw(ref reader);
        }
        else if (KeyIs(key, "excludeInterfaces"))
        {
            section.ExcludeInterfaces = Raw(ref reader);
        }
        else if (KeyIs(key, "rerouteInterfaces"))
        {
            section.RerouteInterfaces = Raw(ref reader);
        }
        else if (KeyIs(key, "mediaUdpPorts"))
        {
            section.MediaUdpPorts = Raw(ref reader);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static JsonElement? Raw(ref Utf8JsonReader reader) => Sluice.Cni.Config.NetworkConfigReader.RawOrNull(ref reader);
}
