using Sluice.CommandLine;

namespace Sluice.CommandLine.Tests;

/// <summary>The value readers: what each accepts, and the words of its refusal.</summary>
public sealed class ValuesTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    public void Port_InRange_IsRead(string text, int expected) => Assert.Equal(expected, Values.Port(text));

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("+80")]
    [InlineData("http")]
    public void Port_OutOfRangeOrNotANumber_IsRefused(string text) =>
        Assert.Equal("is not a port (0-65535)", Assert.Throws<InvalidValueException>(() => Values.Port(text)).Message);

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Boolean_TrueOrFalse_IsRead(string text, bool expected) => Assert.Equal(expected, Values.Boolean(text));

    [Theory]
    [InlineData("yes")]
    [InlineData("True")]
    [InlineData("1")]
    public void Boolean_AnythingElse_IsRefused(string text) =>
        Assert.Equal("is not a boolean (true or false)", Assert.Throws<InvalidValueException>(() => Values.Boolean(text)).Message);

    [Theory]
    [InlineData("0")]
    [InlineData("1s")]
    [InlineData("99999999999")]
    public void PositiveInteger_ZeroUnitsOrOverflow_IsRefused(string text) =>
        Assert.Throws<InvalidValueException>(() => Values.PositiveInteger(text));

    [Fact]
    public void Milliseconds_WholeNumber_IsATimeSpan() => Assert.Equal(TimeSpan.FromMilliseconds(2500), Values.Milliseconds("2500"));

    [Fact]
    public void Items_CommaSeparated_AreTrimmedAndEmptyOnesDropped() =>
        Assert.Equal(["kube-system", "istio-system"], Values.Items(" kube-system, ,istio-system "));

    [Fact]
    public void AbsolutePaths_OneRelative_RefusesTheList() =>
        Assert.Throws<InvalidValueException>(() => Values.AbsolutePaths("/opt/cni/bin,bin"));

    [Fact]
    public void OneOf_OtherValue_NamesTheChoices()
    {
        var profile = Values.OneOf("a profile", "msm", "istio");

        Assert.Equal("istio", profile("istio"));
        Assert.Equal("is not a profile (msm, istio)", Assert.Throws<InvalidValueException>(() => profile("linkerd")).Message);
    }
}
