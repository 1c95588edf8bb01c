namespace Sluice.Kube.Models;

/// <summary>The event types a Kubernetes watch stream sends, spelled as on the wire.</summary>
public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
