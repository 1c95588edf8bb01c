using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    /// <summary>
    /// times(2): on Linux, the kernel's tick counter (jiffies, with its boot offset) in USER_HZ
    /// units, hundredths of a second on every architecture Sluice ships for. The process times the
    /// buffer receives are not used.
    /// </summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial long times(out ProcessTimes buffer);

    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcessTimes
    {
        public long User;
        public long System;
        public long ChildrenUser;
        public long ChildrenSystem;
    }
}
