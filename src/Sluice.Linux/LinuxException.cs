using Sluice.Linux.Interop;

namespace Sluice.Linux;

/// <summary>
/// A failed system call or kernel request. The message names the operation and the object, then
/// the error: <c>creating veth veth1a2b3c4d in netns /var/run/netns/pod1: File exists (EEXIST)</c>.
/// </summary>
public class LinuxException : Exception
{
    public LinuxException(string operation, int errno, string? kernelMessage = null)
        : base(Format(operation, errno, kernelMessage))
    {
        Operation = operation;
        ErrorNumber = errno;
        KernelMessage = kernelMessage;
    }

    public string Operation { get; }

    /// <summary>The errno value (positive).</summary>
    public int ErrorNumber { get; }

    /// <summary>The kernel's extended-ack text, when it sent one.</summary>
    public string? KernelMessage { get; }

    public string ErrorName => Errno.Name(ErrorNumber);

    public bool Is(int errno) => ErrorNumber == errno;

    private static string Format(string operation, int errno, string? kernelMessage) =>
        $"{operation}: {Errno.Describe(errno)} ({Errno.Name(errno)})" +
        (string.IsNullOrEmpty(kernelMessage) ? "" : $": {kernelMessage}");
}
