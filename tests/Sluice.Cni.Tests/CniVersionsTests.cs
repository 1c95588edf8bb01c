using Sluice.Cni;

namespace Sluice.Cni.Tests;

public sealed class CniVersionsTests
{
    [Theory]
    [InlineData("0.3.0", "0.3.1", -1)]
    [InlineData("0.4.0", "0.3.1", 1)]
    [InlineData("1.0.0", "0.4.0", 1)]
    [InlineData("0.10.0", "0.4.0", 1)]
    [InlineData("1.1.0", "1.1.0", 0)]
    [InlineData("1.1", "1.1.0", 0)]
    public void Compare_OrdersNumerically(string left, string right, int sign) =>
        Assert.Equal(sign, Math.Sign(CniVersions.Compare(left, right)));

    [Theory]
    [InlineData("0.1.0", false)]
    [InlineData("0.2.0", false)]
    [InlineData("0.3.0", true)]
    [InlineData("0.3.1", true)]
    [InlineData("0.4.0", true)]
    [InlineData("1.0.0", true)]
    [InlineData("1.1.0", true)]
    [InlineData("1.2.0", false)]
    [InlineData("v1.0.0", false)]
    public void IsSupported_ListsExactlyTheImplementedVersions(string version, bool supported) =>
        Assert.Equal(supported, CniVersions.IsSupported(version));

    [Theory]
    [InlineData("abc")]
    [InlineData("1..0")]
    [InlineData("1.0.0.0")]
    [InlineData("-1.0.0")]
    public void Compare_WithGarbage_FailsWithCode1(string version)
    {
        var error = Assert.Throws<CniException>(() => CniVersions.Compare(version, "1.0.0"));
        Assert.Equal(CniErrorCode.IncompatibleCniVersion, error.Code);
    }
}
