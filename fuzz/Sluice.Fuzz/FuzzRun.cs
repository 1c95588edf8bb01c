namespace Sluice.Fuzz;

/// <summary>One input through one target: a refusal is fine, anything else is a finding.</summary>
public static class FuzzRun
{
    /// <summary>The finding for <paramref name="input"/> (the unexpected exception), or null when the target accepted or refused it as it should.</summary>
    public static Exception? Once(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception error) when (target.IsRefusal(error))
        {
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }

    /// <summary>For the fuzzer: an unexpected exception escapes, which SharpFuzz reports to afl-fuzz as a crash.</summary>
    public static void OrCrash(FuzzTarget target, byte[] input)
    {
        if (Once(target, input) is { } finding)
        {
            throw new InvalidOperationException($"{target.Name}: unexpected {finding.GetType().Name}: {finding.Message}", finding);
        }
    }
}
