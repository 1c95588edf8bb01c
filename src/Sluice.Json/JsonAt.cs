namespace Sluice.Json;

/// <summary>
/// Where a value being read sits: the whole input (for values kept as their raw bytes) and the
/// value's path (<c>capture.outboundPort</c>, <c>ips[0].address</c>; empty for the top level).
/// The path is built only when it is needed: for an error, or to descend into an object or array.
/// </summary>
public readonly struct JsonAt
{
    private readonly string _parent;
    private readonly string? _key;
    private readonly int _index;

    private JsonAt(ReadOnlyMemory<byte> input, string parent, string? key, int index)
    {
        Input = input;
        _parent = parent;
        _key = key;
        _index = index;
    }

    /// <summary>The JSON text being read, of which the reader's input is this span.</summary>
    public ReadOnlyMemory<byte> Input { get; }

    /// <summary>The value's path, as error messages name it.</summary>
    public string Path => (_key, _index) switch
    {
        (null, < 0) => _parent,
        (null, _) => $"{_parent}[{_index}]",
        _ when _parent.Length == 0 => _key,
        _ => $"{_parent}.{_key}",
    };

    /// <summary>The top of <paramref name="input"/>, or a value inside something larger named <paramref name="path"/>.</summary>
    public static JsonAt Root(ReadOnlyMemory<byte> input, string path = "") => new(input, path, null, -1);

    /// <summary>The value of key <paramref name="key"/> of the object at <paramref name="objectPath"/> (that object's <see cref="Path"/>, computed once per object).</summary>
    public JsonAt Key(string objectPath, string key) => new(Input, objectPath, key, -1);

    /// <summary>Item <paramref name="index"/> of the array at <paramref name="arrayPath"/>.</summary>
    public JsonAt Item(string arrayPath, int index) => new(Input, arrayPath, null, index);

    public override string ToString() => Path;
}
