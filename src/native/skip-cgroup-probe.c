/*
 * Linked into the per-pod plugins only (PluginRuntime.props): the .NET runtime's two start-up
 * probes of the process's cgroup become no-ops.
 *
 * Why. At every start the runtime reads /proc/self/mountinfo in full twice, once for the GC's
 * memory limit (InitializeCGroup, gc/unix/cgroup.cpp) and once for the CPU quota
 * (InitializeCpuCGroup, nativeaot/Runtime/unix/cgroupcpu.cpp). The kernel formats every mount of
 * the caller's mount namespace for it, and a CNI plugin runs in the node's: on a node that
 * number grows with its pods (each pod's network namespace, shm, rootfs and volumes are mounts),
 * so every plugin start grew with it, about 5 us per mount here (docs/benchmarks.md, "VERSION
 * round trip (whole process)"). Go's plugins read no such file.
 *
 * Why it is safe for these executables. A plugin process lives a few milliseconds and does its
 * work on one thread: the GC's heap limit is fixed at build time (System.GC.HeapHardLimit,
 * NativeExecutable.props) rather than taken from the cgroup, and a CPU quota would only lower
 * the processor count the runtime sizes its thread pool and spinning by. Without the probes the
 * runtime behaves as on a machine without cgroups, a case it supports. sluice-agent, a
 * long-lived process under its DaemonSet's limits, keeps both probes.
 *
 * How. The linker is asked to wrap the two functions (--wrap): the runtime's calls land here.
 * Each replacement names the real function through its __real_ alias without calling it, so a
 * runtime update that renamed one fails the link ("undefined reference") instead of leaving the
 * probes in place unnoticed; the reference sits in code the runtime calls, where the linker's
 * garbage collection of unused sections cannot drop it.
 * BridgeBinaryTests and RedirectBinaryTests (run as root) check with strace that no plugin
 * command opens mountinfo or a cgroup file.
 */

void __wrap__Z16InitializeCGroupv(void);
void __wrap__Z19InitializeCpuCGroupv(void);
void __real__Z16InitializeCGroupv(void);
void __real__Z19InitializeCpuCGroupv(void);

void __wrap__Z16InitializeCGroupv(void)
{
    __asm__ volatile("" : : "r"(__real__Z16InitializeCGroupv));
}

void __wrap__Z19InitializeCpuCGroupv(void)
{
    __asm__ volatile("" : : "r"(__real__Z19InitializeCpuCGroupv));
}
