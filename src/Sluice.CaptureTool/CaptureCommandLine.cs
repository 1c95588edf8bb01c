namespace Sluice.CaptureTool;

/// <summary>
/// Parses arguments the way getopt_long users expect: <c>-p 15001</c>, <c>-p15001</c>,
/// <c>--envoy-port 15001</c>, <c>--envoy-port=15001</c>, switches bundled (<c>-nh</c>) or given
/// as <c>--flag=true|false</c>, and <c>--</c> to end options. Values are checked as they are
/// read, so an error names the flag as it was typed.
/// </summary>
internal static class CaptureCommandLine
{
    public static CaptureCommand Parse(IReadOnlyList<string> arguments)
    {
        var command = new CaptureCommand();
        for (var index = 0; index < arguments.Count; index++)
        {
            var argument = arguments[index];
            if (argument == "--")
            {
                if (index + 1 < arguments.Count)
                {
                    throw new UsageException($"unexpected argument '{arguments[index + 1]}'");
                }

                break;
            }

            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = argument.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? argument[2..] : argument[2..equals];
                var option = CaptureOptions.FindLong(name) ?? throw new UsageException($"unrecognized option '--{name}'");
                var typed = "--" + name;
                string value;
                if (equals >= 0)
                {
                    value = argument[(equals + 1)..];
                }
                else if (option.TakesValue)
                {
                    value = index + 1 < arguments.Count ? arguments[++index] : throw new UsageException($"option '{typed}' requires a value ({option.Value})");
                }
                else
                {
                    value = "";
                }

                option.Apply(command, value, typed);
            }
            else if (argument.Length > 1 && argument[0] == '-')
            {
                for (var position = 1; position < argument.Length; position++)
                {
                    var letter = argument[position];
                    var option = CaptureOptions.FindShort(letter) ?? throw new UsageException($"invalid option -- '{letter}'");
                    var typed = $"-{letter}";
                    if (!option.TakesValue)
                    {
                        option.Apply(command, "", typed);
                        continue;
                    }

                    var value = position + 1 < argument.Length ? argument[(position + 1)..]
                        : index + 1 < arguments.Count ? arguments[++index]
                        : throw new UsageException($"option requires an argument -- '{letter}' ({option.Value})");
                    option.Apply(command, value, typed);
                    break;
                }
            }
            else
            {
                throw new UsageException($"unexpected argument '{argument}'");
            }
        }

        return command;
    }
}
