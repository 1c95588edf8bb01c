using Sluice.Cni;
using Sluice.Cni.Config;

namespace Sluice.Ipam.Config;

/// <summary>Reads a resolv.conf file into CNI DNS settings (nameserver, domain, search, options).</summary>
public static class ResolvConf
{
    public static CniDns Read(string path)
    {
        if (Linux.Files.RegularFile.KindIfNotRegular(path) is { } kind)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.resolvConf '{path}' is {kind}, not a file");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The NativeAOT build carries no exception message texts: say what happened ourselves.
            var reason = error switch
            {
                FileNotFoundException or DirectoryNotFoundException => "it does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => error.GetType().Name,
            };
            throw new CniException(CniErrorCode.IoFailure, $"cannot read ipam.resolvConf {path}: {reason}");
        }

        return Parse(lines);
    }

    public static CniDns Parse(IEnumerable<string> lines)
    {
        var dns = new CniDns();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver":
                    (dns.Nameservers ??= []).Add(fields[1]);
                    break;
                case "domain":
                    dns.Domain = fields[1];
                    break;
                case "search":
                    dns.Search = [.. fields[1..]];
                    break;
                case "options":
                    (dns.Options ??= []).AddRange(fields[1..]);
                    break;
            }
        }

        return dns;
    }
}
