namespace Sluice.Kube.Models;

/// <summary>
/// One change from a watch: ADDED, MODIFIED, DELETED, or BOOKMARK (no change, only a newer
/// resource version to resume from; its object carries nothing but metadata.resourceVersion).
/// </summary>
public sealed class WatchEvent<T>
{
    public WatchEvent(string type, T @object)
    {
        Type = type;
        Object = @object;
    }

    public string Type { get; }

    public T Object { get; }

    public bool IsBookmark => string.Equals(Type, WatchEventTypes.Bookmark, StringComparison.Ordinal);
}
