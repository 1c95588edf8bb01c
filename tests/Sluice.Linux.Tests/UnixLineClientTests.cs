using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Interop;
using Sluice.Linux.Sockets;

namespace Sluice.Linux.Tests;

/// <summary>One request line and one answer line over a Unix socket, with libc calls only.</summary>
public sealed class UnixLineClientTests : IDisposable
{
    private readonly TempDirectory _dir = new("unix-line");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Exchange_AnswerOfSeveralLines_ReturnsFirstLineWithoutNewline()
    {
        using var server = Serve(_ => "200 {\"a\":1}\nignored"u8.ToArray());

        var answer = UnixLineClient.Exchange(server.Path, "GET ns pod\n"u8, TimeSpan.FromSeconds(1), 1024);

        Assert.Equal("200 {\"a\":1}", Encoding.UTF8.GetString(answer!));
        Assert.Equal("GET ns pod\n", server.Request);
    }

    [Fact]
    public void Exchange_LongAnswer_ArrivesWholeAcrossReads()
    {
        var body = new string('x', 200_000);
        using var server = Serve(_ => Encoding.UTF8.GetBytes($"200 {body}\n"));

        var answer = UnixLineClient.Exchange(server.Path, "GET ns pod\n"u8, TimeSpan.FromSeconds(1), 1 << 20);

        Assert.Equal($"200 {body}", Encoding.UTF8.GetString(answer!));
    }

    [Fact]
    public void Exchange_ServerClosesWithoutNewline_ReturnsWhatItSentOrNullIfNothing()
    {
        using (var partial = Serve(_ => "503 busy"u8.ToArray()))
        {
            Assert.Equal("503 busy", Encoding.UTF8.GetString(UnixLineClient.Exchange(partial.Path, "GET a b\n"u8, TimeSpan.FromSeconds(1), 1024)!));
        }

        using var silent = Serve(_ => []);
        Assert.Null(UnixLineClient.Exchange(silent.Path, "GET a b\n"u8, TimeSpan.FromSeconds(1), 1024));
    }

    [Fact]
    public void Exchange_MissingSocketOrTooLongPath_FailsWithEnoentOrEnametoolong()
    {
        var missing = Assert.Throws<LinuxException>(() => UnixLineClient.Exchange(_dir.Combine("absent.sock"), "x\n"u8, TimeSpan.FromSeconds(1), 1024));
        var tooLong = Assert.Throws<LinuxException>(() => UnixLineClient.Exchange("/" + new string('a', 200), "x\n"u8, TimeSpan.FromSeconds(1), 1024));

        Assert.True(missing.Is(Errno.ENOENT), missing.Message);
        Assert.True(tooLong.Is(Errno.ENAMETOOLONG), tooLong.Message);
    }

    [Fact]
    public void Exchange_ServerDoesNotAnswer_FailsWithEagainAfterThePatience()
    {
        using var server = Serve(_ =>
        {
            Thread.Sleep(1500);
            return "late\n"u8.ToArray();
        });
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<LinuxException>(() => UnixLineClient.Exchange(server.Path, "x\n"u8, TimeSpan.FromMilliseconds(200), 1024));

        Assert.True(error.Is(Errno.EAGAIN), error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(1.2));
    }

    [Fact]
    public void Exchange_AnswerLongerThanTheLimit_ThrowsIOException()
    {
        using var server = Serve(_ => Encoding.UTF8.GetBytes(new string('x', 100_000) + "\n"));

        Assert.Throws<IOException>(() => UnixLineClient.Exchange(server.Path, "x\n"u8, TimeSpan.FromSeconds(1), 1000));
    }

    private OneShotServer Serve(Func<string, byte[]> answer) => new(_dir.Combine($"s{Guid.NewGuid():N}"[..20] + ".sock"), answer);

    /// <summary>Accepts one connection, reads its request line, sends the answer and closes.</summary>
    private sealed class OneShotServer : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly Thread _thread;

        public OneShotServer(string path, Func<string, byte[]> answer)
        {
            Path = path;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(1);
            _thread = new Thread(() =>
            {
                try
                {
                    using var client = _listener.Accept();
                    var request = new StringBuilder();
                    var buffer = new byte[256];
                    while (!request.ToString().EndsWith('\n'))
                    {
                        var read = client.Receive(buffer);
                        if (read == 0)
                        {
                            break;
                        }

                        request.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }

                    Request = request.ToString();
                    client.Send(answer(Request));
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception error) when (error is SocketException or ObjectDisposedException)
                {
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public string Path { get; }

        public string? Request { get; private set; }

        public void Dispose()
        {
            _listener.Dispose();
            _thread.Join(TimeSpan.FromSeconds(3));
        }
    }
}
