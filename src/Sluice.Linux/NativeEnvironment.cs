using Sluice.Linux.Interop;

namespace Sluice.Linux;

/// <summary>
/// The C library's copy of the environment, which native code (OpenSSL) reads with getenv().
/// .NET keeps its own copy on Unix: <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// never reaches native code.
/// </summary>
public static class NativeEnvironment
{
    /// <summary>
    /// Sets <paramref name="name"/> for native code in this process, replacing any value it had.
    /// Child processes are not affected: they get .NET's copy (ProcessStartInfo.Environment).
    /// </summary>
    public static void Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (Libc.setenv(name, value, overwrite: 1) != 0)
        {
            throw new LinuxException($"setting {name} for native code", Syscall.LastError);
        }
    }
}
