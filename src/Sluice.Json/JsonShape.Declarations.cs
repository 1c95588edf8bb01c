namespace Sluice.Json;

/// <summary>Shorthands for declaring keys of the common kinds.</summary>
public sealed partial class JsonShape<T>
{
    public JsonShape<T> Text(string key, Func<T, string?> get, Action<T, string?> set) => Field(key, JsonCodecs.Text, get, set);

    public JsonShape<T> Int32(string key, Func<T, int?> get, Action<T, int?> set) => Field(key, JsonCodecs.Int32, get, set);

    public JsonShape<T> Int64(string key, Func<T, long?> get, Action<T, long?> set) => Field(key, JsonCodecs.Int64, get, set);

    public JsonShape<T> Boolean(string key, Func<T, bool?> get, Action<T, bool?> set) => Field(key, JsonCodecs.Boolean, get, set);

    public JsonShape<T> TextList(string key, Func<T, List<string>?> get, Action<T, List<string>?> set) => Field(key, JsonCodecs.TextList, get, set);

    public JsonShape<T> TextMap(string key, Func<T, Dictionary<string, string>?> get, Action<T, Dictionary<string, string>?> set) =>
        Field(key, JsonCodecs.TextMap, get, set);

    public JsonShape<T> Object<TChild>(string key, JsonShape<TChild> shape, Func<T, TChild?> get, Action<T, TChild?> set)
        where TChild : class => Field(key, shape, get, set);

    public JsonShape<T> List<TItem>(string key, JsonShape<TItem> item, Func<T, List<TItem>?> get, Action<T, List<TItem>?> set)
        where TItem : class => Field(key, JsonCodecs.ListOf(JsonCodecs.NonNull(item)), get, set);
}
