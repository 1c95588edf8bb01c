using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

public sealed class ResultConversionTests
{
    public static TheoryData<string> Versions => new(CniVersions.Supported);

    public static TheoryData<string, string> VersionPairs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var from in CniVersions.Supported)
            {
                foreach (var to in CniVersions.Supported)
                {
                    data.Add(from, to);
                }
            }

            return data;
        }
    }

    private static CniResult Full() => new()
    {
        CniVersion = "1.1.0",
        Interfaces =
        [
            new() { Name = "sluice0", Mac = "aa:bb:cc:dd:ee:01", Mtu = 1450 },
            new() { Name = "eth0", Mac = "aa:bb:cc:dd:ee:02", Mtu = 1450, Sandbox = "/var/run/netns/pod", SocketPath = "/run/x.sock", PciId = "0000:00:1f.6" },
        ],
        Ips =
        [
            new() { Address = "10.22.0.5/24", Gateway = "10.22.0.1", Interface = 1 },
            new() { Address = "fd00::5/64", Gateway = "fd00::1", Interface = 1 },
        ],
        Routes = [new() { Dst = "0.0.0.0/0", Gw = "10.22.0.1", Mtu = 1400, AdvMss = 1360, Priority = 10, Table = 100, Scope = 0 }],
        Dns = new CniDns { Nameservers = ["10.96.0.10"], Domain = "cluster.local", Search = ["svc.cluster.local"], Options = ["ndots:5"] },
    };

    private static JsonObject Json(CniResult result) =>
        JsonNode.Parse(ResultText.Write(result))!.AsObject();

    [Theory]
    [MemberData(nameof(Versions))]
    public void ToVersion_SetsCniVersionAndIpVersionOnlyBelow100(string version)
    {
        var json = Json(ResultConversion.ToVersion(Full(), version));
        Assert.Equal(version, (string?)json["cniVersion"]);
        var ips = json["ips"]!.AsArray();
        if (CniVersions.AtLeast(version, "1.0.0"))
        {
            Assert.All(ips, ip => Assert.Null(ip!["version"]));
        }
        else
        {
            Assert.Equal("4", (string?)ips[0]!["version"]);
            Assert.Equal("6", (string?)ips[1]!["version"]);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void ToVersion_Keeps110FieldsOnlyFor110(string version)
    {
        var json = Json(ResultConversion.ToVersion(Full(), version));
        var has = version == "1.1.0";
        Assert.Equal(has, json["interfaces"]![1]!["mtu"] is not null);
        Assert.Equal(has, json["interfaces"]![1]!["socketPath"] is not null);
        Assert.Equal(has, json["interfaces"]![1]!["pciID"] is not null);
        foreach (var field in new[] { "mtu", "advmss", "priority", "table" })
        {
            Assert.Equal(has, json["routes"]![0]![field] is not null);
        }

        // Fields every version has survive.
        Assert.Equal("/var/run/netns/pod", (string?)json["interfaces"]![1]!["sandbox"]);
        Assert.Equal(1, (int?)json["ips"]![0]!["interface"]);
        Assert.Equal("10.22.0.1", (string?)json["routes"]![0]!["gw"]);
        Assert.Equal("cluster.local", (string?)json["dns"]!["domain"]);
    }

    [Theory]
    [MemberData(nameof(VersionPairs))]
    public void Conversion_ThroughJson_RoundTripsEveryCommonField(string from, string to)
    {
        var text = ResultText.Write(ResultConversion.ToVersion(Full(), from));
        var parsed = ResultText.Read(text);
        ResultValidation.Validate(parsed, "result");
        var back = ResultConversion.ToVersion(ResultConversion.ToVersion(parsed, to), from);

        // What survives is what both versions can express.
        var lower = CniVersions.Compare(from, to) <= 0 ? from : to;
        var expected = ResultConversion.ToVersion(ResultConversion.ToVersion(Full(), lower), from);
        Assert.Equal(
            ResultText.Write(expected),
            ResultText.Write(back));
    }

    [Fact]
    public void ToVersion_UpFrom031_DerivesNothingAndDropsVersion()
    {
        const string text = """{"cniVersion":"0.3.1","interfaces":[{"name":"eth0","sandbox":"/x"}],"ips":[{"version":"4","address":"10.0.0.2/24","interface":0}]}""";
        var result = ResultText.Read(text);
        var json = Json(ResultConversion.ToVersion(result, "1.0.0"));
        Assert.Null(json["ips"]![0]!["version"]);
        Assert.Equal("10.0.0.2/24", (string?)json["ips"]![0]!["address"]);
    }

    [Fact]
    public void ToVersion_ToUnsupportedVersion_FailsWithCode1()
    {
        var error = Assert.Throws<CniException>(() => ResultConversion.ToVersion(Full(), "0.2.0"));
        Assert.Equal(CniErrorCode.IncompatibleCniVersion, error.Code);
    }

    [Fact]
    public void ToVersion_DoesNotChangeItsInput()
    {
        var result = Full();
        ResultConversion.ToVersion(result, "0.3.0");
        Assert.Null(result.Ips![0].Version);
        Assert.Equal(1450, result.Interfaces![1].Mtu);
    }
}
