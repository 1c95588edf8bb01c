namespace Sluice.Fuzz;

/// <summary>
/// One reader of hostile input under the fuzzer: it is given raw bytes and must either accept
/// them or refuse them with the exception its callers turn into a clear error. Any other
/// exception (or a hang, or a crash of the process) is a finding.
/// </summary>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run, Func<Exception, bool> IsRefusal);
