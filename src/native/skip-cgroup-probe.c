/*
 * Linked into the per-pod plugins only (PluginRuntime.props): the .NET runtime's two start-up
 * probes of the process's cgroup become no-ops.
 *
 * Why. At every start the runtime reads /proc/self/mountinfo in full twice, once for the GC's
 * memory limit (InitializeCGroup, gc/unix/cgroup.cpp) and once for the CPU quota
 * (InitializeCpuCGroup, nativeaot/Runtime/unix/cgroupcpu.cpp). The kernel formats every mount of
 * the caller's mount namespace for it, and a CNI plugin runs in the node's: on a node that
 * number grows with its pods (each pod's network namespace, shm, rootfs and volumes are mounts),
 * so every plugin start grew with it, about 5 us per mount here (docs/benchmarks.md,
 * "Plugin start and the node's mounts"). Go's plugins read no such file.
 *
 * Why it is safe for these executables. A plugin process lives a few milliseconds on one
 * thread: the GC's heap limit is fixed at build time (System.GC.HeapHardLimit,
 * NativeExecutable.props) rather than taken from the cgroup, and a CPU quota would only change
 * Environment.ProcessorCount, which no plugin code reads. Without the probes the runtime behaves
 * as on a machine without cgroups, a case it supports. sluice-agent, a long-lived process under
 * its DaemonSet's limits, keeps both probes.
 *
 * How. The linker is asked to wrap the two functions (--wrap): the runtime's calls land here.
 * PluginBinaryTests check with strace that no plugin command opens mountinfo; if a runtime update
 * renamed the functions, the wrap would stop applying and those tests would fail.
 */

void __wrap__Z16InitializeCGroupv(void);
void __wrap__Z19InitializeCpuCGroupv(void);

void __wrap__Z16InitializeCGroupv(void)
{
}

void __wrap__Z19InitializeCpuCGroupv(void)
{
}
