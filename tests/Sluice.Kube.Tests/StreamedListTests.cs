using System.Text;
using System.Text.Json;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

/// <summary>A list decoded item by item as its bytes arrive, whatever the reads' sizes.</summary>
public sealed class StreamedListTests
{
    private static readonly string List =
        """{"kind":"NodeList","apiVersion":"v1","unknown":{"nested":[1,{"a":"]}"}],"n":-1.5e3},"items":[""" +
        SampleObjects.Node("node-a", "7", "10.244.1.0/24") + "," + SampleObjects.Node("node-\u00e9", "8", "10.244.2.0/24") + "," + SampleObjects.Node("node-c", "9", "10.244.3.0/24") +
        """],"metadata":{"resourceVersion":"4211","continue":""}}""";

    [Fact]
    public async Task Read_EveryReadSize_GivesTheSameList()
    {
        var bytes = Encoding.UTF8.GetBytes(List);
        foreach (var size in Enumerable.Range(1, 97).Append(bytes.Length))
        {
            using var body = new TrickleStream(bytes, size);

            var list = await StreamedList<Node>.ReadAsync(body, KubeJsonContext.Default.Node, TestContext.Current.CancellationToken);

            Assert.Equal(["node-a", "node-\u00e9", "node-c"], list.Items.Select(node => node.Metadata.Name));
            Assert.Equal(["10.244.1.0/24", "10.244.2.0/24", "10.244.3.0/24"], list.Items.Select(node => node.Spec.PodCIDRs.Single()));
            Assert.Equal("4211", list.ResourceVersion);
        }
    }

    [Fact]
    public async Task Read_ItemLargerThanTheFirstBuffer_IsReadWhole()
    {
        var images = string.Join(',', Enumerable.Range(0, 3000).Select(i => $$"""{"names":["registry.example/image-{{i}}:v1"],"sizeBytes":{{i}}}"""));
        var node = SampleObjects.Node("node-big", "3", "10.244.9.0/24").Replace("\"status\": {", "\"status\": {\"images\": [" + images + "], ", StringComparison.Ordinal);
        using var body = new TrickleStream(Encoding.UTF8.GetBytes($$"""{"metadata":{"resourceVersion":"5"},"items":[{{node}}]}"""), 4096);

        var list = await StreamedList<Node>.ReadAsync(body, KubeJsonContext.Default.Node, TestContext.Current.CancellationToken);

        Assert.Equal("node-big", Assert.Single(list.Items).Metadata.Name);
    }

    [Theory]
    [InlineData("""{"metadata":{"resourceVersion":"5"},"items":null}""", 0)]
    [InlineData("""{"metadata":{"resourceVersion":"5"}}""", 0)]
    [InlineData("""{"items":[],"metadata":{"resourceVersion":"5"}}  """, 0)]
    public async Task Read_NoItems_IsAnEmptyList(string json, int count)
    {
        using var body = new TrickleStream(Encoding.UTF8.GetBytes(json), 3);

        var list = await StreamedList<Node>.ReadAsync(body, KubeJsonContext.Default.Node, TestContext.Current.CancellationToken);

        Assert.Equal(count, list.Items.Count);
        Assert.Equal("5", list.ResourceVersion);
    }

    [Theory]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("""{"metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"a"}}""", "open JSON object or array")]
    [InlineData("""{"items":[]} {"items":[]}""", "the answer goes on after the list")]
    [InlineData("""{"items":[{"metadata":{"name":"a"},}]}""", "trailing comma")]
    [InlineData("""[{"metadata":{"name":"a"}}]""", "the answer is not a JSON object")]
    [InlineData("""{"items":{"a":1}}""", "the list's items are not an array")]
    [InlineData("""{"items":[null]}""", "item 0 of the list is null")]
    [InlineData("""{"items":[{"metadata":{"name":"a"}},{"spec":{"unschedulable":"yes"}}]}""", "item 1 of the list: invalid JSON")]
    [InlineData("{\"items\":[]}            x", "the answer goes on after the list")]
    public async Task Read_NotOneWholeList_IsAJsonExceptionSayingWhy(string json, string problem)
    {
        using var body = new TrickleStream(Encoding.UTF8.GetBytes(json), 5);

        var error = await Assert.ThrowsAnyAsync<JsonException>(() => StreamedList<Node>.ReadAsync(body, KubeJsonContext.Default.Node, TestContext.Current.CancellationToken));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A body that arrives <c>size</c> bytes per read, as a slow or chunked answer does.</summary>
    private sealed class TrickleStream(byte[] data, int size) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);
    }
}
