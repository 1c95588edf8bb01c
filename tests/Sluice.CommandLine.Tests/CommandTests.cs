using Sluice.CommandLine;

namespace Sluice.CommandLine.Tests;

/// <summary>A command with one option of each shape, read from argument lists and environments.</summary>
public sealed class CommandTests
{
    private readonly Command _command = new("Usage: tool [OPTION]...", "Does a thing.") { Footer = "Exit status: 0 done." };
    private readonly Option<int> _port;
    private readonly Option<string> _name;
    private readonly Option<string> _file;
    private readonly Option<IReadOnlyList<string>> _dirs;

    public CommandTests()
    {
        _port = _command.Add(new Option<int>("--port", Values.Port, "the port") { Variable = "PORT", Default = "9870", ValueName = "PORT" });
        _name = _command.Add(new Option<string>("--name", Values.NonEmpty, "the name") { Required = true, ValueName = "NAME" });
        _file = _command.Add(new Option<string>("--file", Values.AbsolutePath, "a file") { Variable = "FILE", ValueName = "FILE" });
        _dirs = _command.Add(new Option<IReadOnlyList<string>>("--dirs", Values.AbsolutePaths, "directories") { Variable = "DIRS", Default = "/a,/b" });
    }

    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Parse_FlagVariableAndDefault_FlagWinsOverVariableWhichWinsOverDefault()
    {
        var byDefault = _command.Parse(["--name", "x"]);
        var byVariable = _command.Parse(["--name", "x"], Env(("PORT", "8000")));
        var byFlag = _command.Parse(["--name", "x", "--port", "9000"], Env(("PORT", "8000")));

        Assert.Equal(9870, byDefault.Get(_port));
        Assert.Equal(8000, byVariable.Get(_port));
        Assert.Equal(9000, byFlag.Get(_port));
        Assert.Equal(["/a", "/b"], byDefault.Get(_dirs));
        Assert.False(byDefault.Has(_port));
        Assert.True(byVariable.Has(_port));
        Assert.Equal("PORT", byVariable.SourceOf(_port));
        Assert.Equal("--port", byFlag.SourceOf(_port));
        Assert.Equal("PORT", byDefault.SourceOf(_port));
    }

    [Fact]
    public void Parse_FlagWithEqualsSign_ReadsTheValueAfterIt()
    {
        var given = _command.Parse(["--name=web=1", "--port= 81 "]);

        Assert.Equal("web=1", given.Get(_name));
        Assert.Equal(81, given.Get(_port));
    }

    [Theory]
    [InlineData(new[] { "--name", "x", "--port", "http" }, "--port: 'http' is not a port (0-65535)")]
    [InlineData(new[] { "--name", "x", "--file", "etc/x" }, "--file: 'etc/x' is not an absolute path")]
    [InlineData(new[] { "--name", "x", "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new[] { "--name", "x", "--port" }, "--port needs a value")]
    [InlineData(new[] { "--port", "80" }, "--name is required")]
    [InlineData(new[] { "--name", "" }, "--name: '' is empty")]
    [InlineData(new[] { "--name", "x", "extra" }, "unexpected argument 'extra'")]
    public void Parse_BadCommandLine_ThrowsOneLineNamingTheOption(string[] arguments, string expected)
    {
        var error = Assert.Throws<CommandLineException>(() => _command.Parse(arguments));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_BadVariable_NamesTheVariableAndItsValue()
    {
        var error = Assert.Throws<CommandLineException>(() => _command.Parse(["--name", "x"], Env(("DIRS", "/a,b"))));

        Assert.Equal("DIRS: '/a,b' is not a list of absolute paths", error.Message);
    }

    [Fact]
    public void Parse_VariableGivesARequiredOption_WhenItHasOne()
    {
        var command = new Command("Usage: t", "t");
        var node = command.Add(new Option<string>("--node", Values.NonEmpty, "the node") { Variable = "NODE", Required = true });

        Assert.Equal("n1", command.Parse([], Env(("NODE", "n1"))).Get(node));
    }

    [Fact]
    public void Parse_HelpAtAnOptionsPlace_RequestsTheHelpAndReadsNothingElse()
    {
        var given = _command.Parse(["--port", "99999", "--help"]);
        var before = _command.Parse(["-h", "--bogus"]);

        Assert.True(given.HelpRequested);
        Assert.True(before.HelpRequested);
    }

    [Fact]
    public void Get_OptionalWithoutDefaultNotGiven_ThrowsAndHasSaysSo()
    {
        var given = _command.Parse(["--name", "x"]);

        Assert.False(given.Has(_file));
        Assert.Throws<InvalidOperationException>(() => given.Get(_file));
    }

    [Fact]
    public void Help_Declarations_ListsEveryOptionWithItsVariableDefaultAndFooter()
    {
        var help = _command.Help();

        Assert.StartsWith("Usage: tool [OPTION]...\nDoes a thing.\n\n", help, StringComparison.Ordinal);
        Assert.Contains("  --port PORT   PORT  the port (default: 9870)\n", help, StringComparison.Ordinal);
        Assert.Contains("  --name NAME         the name (required)\n", help, StringComparison.Ordinal);
        Assert.Contains("  --file FILE   FILE  a file\n", help, StringComparison.Ordinal);
        Assert.Contains("  -h, --help          show this help\n", help, StringComparison.Ordinal);
        Assert.EndsWith("\nExit status: 0 done.\n", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameFlagOrVariableTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => _command.Add(new Option<int>("--port", Values.Port, "again")));
        Assert.Throws<ArgumentException>(() => _command.Add(new Option<int>("--other", Values.Port, "again") { Variable = "PORT" }));
        Assert.Throws<ArgumentException>(() => new Option<int>("-p", Values.Port, "short"));
    }

    [Fact]
    public void Parse_SwitchAloneOrWithEqualsValue_ReadsItAndLeavesTheNextWordAlone()
    {
        var json = _command.Add(new Option<bool>("--json", Values.Boolean, "print JSON") { IsSwitch = true, Default = "false" });

        Assert.True(_command.Parse(["--json", "--name", "x"]).Get(json));
        Assert.False(_command.Parse(["--json=false", "--name", "x"]).Get(json));
        Assert.False(_command.Parse(["--name", "x"]).Get(json));
        Assert.Equal("unexpected argument 'true'", Assert.Throws<CommandLineException>(() => _command.Parse(["--name", "x", "--json", "true"])).Message);
        Assert.Contains("  --json ", _command.Help(), StringComparison.Ordinal);
        Assert.DoesNotContain("--json VALUE", _command.Help(), StringComparison.Ordinal);
    }
}
