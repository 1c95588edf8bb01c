using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// The sandbox ("pause") image, built here because no registry is reachable: one layer holding
/// Debian's busybox-static as /bin/busybox, whose entrypoint sleeps until the runtime kills it
/// (StopPodSandbox sends SIGKILL, so it needs no signal handling). Written as a docker-archive
/// (what <c>docker save</c> writes), which <c>ctr images import</c> reads.
/// </summary>
internal static class PauseImage
{
    public const string Reference = "sluice.local/pause:1";

    public const string Busybox = "/bin/busybox";

    public static string Write(string path)
    {
        var layer = Layer();
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        var config = $$"""
            {"architecture":"amd64","os":"linux",
             "config":{"Entrypoint":["/bin/busybox","sleep","2147483647"],"WorkingDir":"/"},
             "rootfs":{"type":"layers","diff_ids":["{{diffId}}"]} }
            """;
        var manifest = $$"""[{"Config":"config.json","RepoTags":["{{Reference}}"],"Layers":["layer.tar"]}]""";

        using var file = File.Create(path);
        using var archive = new TarWriter(file, TarEntryFormat.Pax);
        AddFile(archive, "manifest.json", Encoding.UTF8.GetBytes(manifest), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        AddFile(archive, "config.json", Encoding.UTF8.GetBytes(config), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        AddFile(archive, "layer.tar", layer, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    private static byte[] Layer()
    {
        using var buffer = new MemoryStream();
        using (var layer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            layer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = Executable });
            AddFile(layer, "bin/busybox", File.ReadAllBytes(Busybox), Executable);
        }

        return buffer.ToArray();
    }

    private static void AddFile(TarWriter archive, string name, byte[] content, UnixFileMode mode)
    {
        archive.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(content) });
    }
}
