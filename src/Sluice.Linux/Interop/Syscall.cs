using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

/// <summary>The one place errno is read: turns a failed call's result into a <see cref="LinuxException"/>.</summary>
internal static class Syscall
{
    /// <summary>Throws when <paramref name="result"/> is negative, naming <paramref name="operation"/>.</summary>
    public static int Check(int result, string operation) =>
        result >= 0 ? result : throw new LinuxException(operation, Marshal.GetLastPInvokeError());

    public static nint Check(nint result, string operation) =>
        result >= 0 ? result : throw new LinuxException(operation, Marshal.GetLastPInvokeError());

    /// <summary>The errno of the last failed call, for callers that treat some errors as outcomes.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>Retries a call interrupted by a signal (EINTR).</summary>
    public static int Retry(Func<int> call)
    {
        while (true)
        {
            var result = call();
            if (result >= 0 || Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                return result;
            }
        }
    }
}
