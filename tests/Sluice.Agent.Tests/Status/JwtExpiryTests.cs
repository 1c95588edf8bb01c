using System.Buffers.Text;
using System.Text;
using Sluice.Agent.Status;

namespace Sluice.Agent.Tests.Status;

public sealed class JwtExpiryTests
{
    private static string Jwt(string claims) =>
        $"{Base64Url.EncodeToString("""{"alg":"RS256"}"""u8)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}.c2lnbmF0dXJl";

    [Fact]
    public void Of_ServiceAccountToken_ReadsExp()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796000000), JwtExpiry.Of(Jwt("""{"aud":["https://kubernetes.default.svc"],"exp":1796000000,"sub":"system:serviceaccount:kube-system:sluice"}""")));
    }

    [Theory]
    [InlineData("fake-token-1")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    public void Of_NotAJwt_IsNull(string token) => Assert.Null(JwtExpiry.Of(token));

    [Theory]
    [InlineData("""{"sub":"x"}""")]
    [InlineData("""{"exp":"soon"}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"exp":-5}""")]
    public void Of_JwtWithoutAUsableExp_IsNull(string claims) => Assert.Null(JwtExpiry.Of(Jwt(claims)));

    [Fact]
    public void KubeconfigStatus_ExpiredJwt_IsAProblem()
    {
        using var dir = new TempDirectory("jwt");
        var path = dir.Combine("kubeconfig");
        File.WriteAllText(path, $"apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://10.96.0.1:443\nusers:\n- name: u\n  user:\n    token: {Jwt("""{"exp":1700000000}""")}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n");

        var status = KubeconfigStatus.Read(path, DateTimeOffset.FromUnixTimeSeconds(1700000001));

        Assert.Equal("https://10.96.0.1:443", status.Server);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), status.TokenExpires);
        Assert.StartsWith("the token has expired", status.Problem, StringComparison.Ordinal);
    }
}
