namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    internal const string Name = "libc";
}
