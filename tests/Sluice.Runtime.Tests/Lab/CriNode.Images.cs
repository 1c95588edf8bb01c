using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>Images in the node's containerd: imported from archives, as no registry is reachable.</summary>
internal sealed partial class CriNode
{
    private void ImportPauseImage() => ImportImage(PauseImage.Write(_dir.Combine("pause.tar")), PauseImage.Reference);

    /// <summary>
    /// <c>ctr -a SOCKET -n k8s.io images import --snapshotter SNAPSHOTTER ARCHIVE</c> (a docker or
    /// OCI archive naming <paramref name="reference"/>), then waits until the CRI lists it.
    /// </summary>
    public void ImportImage(string archive, string reference)
    {
        var import = ProcessRunner.Run("ctr", new Dictionary<string, string>(), null, ["-a", Config.Socket, "-n", "k8s.io", "images", "import", "--snapshotter", Config.Snapshotter, archive], TimeSpan.FromMinutes(2));
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException($"importing {archive} failed: {import}");
        }

        var deadline = Stopwatch.StartNew();
        while (Cri.Call("ImageService/ImageStatus", new JsonObject { ["image"] = new JsonObject { ["image"] = reference } }.ToJsonString())["image"] is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"the CRI does not list {reference} after importing {archive}: {import}");
            }

            Thread.Sleep(100);
        }
    }
}
