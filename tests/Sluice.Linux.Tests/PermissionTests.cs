using System.Runtime.InteropServices;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

/// <summary>EPERM, provoked by dropping CAP_NET_ADMIN on one thread (capabilities are per thread).</summary>
public sealed partial class PermissionTests
{
    private const int CapNetAdmin = 12;

    [RootFact]
    public void KernelRequest_WithoutCapNetAdmin_FailsWithEperm()
    {
        using var test = TestNetns.Create("perm");
        using var ns = test.Open();
        LinuxException? error = null;
        Exception? unexpected = null;
        var thread = new Thread(() =>
        {
            // Everything that happens here is handed to the test thread: an exception escaping a
            // bare thread would end the test host instead of failing this test.
            try
            {
                // Enter the namespace first (setns itself needs CAP_SYS_ADMIN), then drop CAP_NET_ADMIN.
                ns.Run(() =>
                {
                    DropEffective(CapNetAdmin);
                    using var rtnl = Rtnl.Open(ns.Description);
                    rtnl.CreateBridge("denied0");
                });
            }
            catch (LinuxException refused)
            {
                error = refused;
            }
            catch (Exception other)
            {
                unexpected = other;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(unexpected);
        Assert.NotNull(error);
        Assert.Equal(Errno.EPERM, error!.ErrorNumber);
        Assert.Contains("creating bridge denied0", error.Message, StringComparison.Ordinal);
        Assert.Contains("(EPERM)", error.Message, StringComparison.Ordinal);
    }

    private static void DropEffective(int capability)
    {
        var header = new CapHeader { Version = 0x20080522, Pid = 0 };
        var data = new CapData[2];
        if (capget(ref header, data) != 0)
        {
            throw new InvalidOperationException("capget failed");
        }

        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (capset(ref header, data) != 0)
        {
            throw new InvalidOperationException("capset failed");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport("libc")]
    private static partial int capget(ref CapHeader header, [In, Out] CapData[] data);

    [LibraryImport("libc")]
    private static partial int capset(ref CapHeader header, [In, Out] CapData[] data);
}
