using System.Text.Json;

namespace Sluice.Kube.Models;

/// <summary>
/// Reads a <see cref="Pod"/> by hand, as <see cref="KubeJsonContext"/> reads it (camelCase keys,
/// matched exactly; unknown keys skipped), without creating the serializer's metadata: a plugin
/// process reads one pod, and that metadata would cost more than the lookup.
/// </summary>
internal static class PodReader
{
    /// <exception cref="JsonException">Not JSON, or a value of the wrong type (the message names the field).</exception>
    public static Pod Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var pod = Object(ref reader, "", static (Pod pod, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "metadata":
                    pod.Metadata = Metadata(ref reader, at) ?? null!;
                    return true;
                case "spec":
                    pod.Spec = Spec(ref reader, at) ?? null!;
                    return true;
                case "status":
                    pod.Status = Status(ref reader, at) ?? null!;
                    return true;
                default:
                    return false;
            }
        });
        if (reader.Read())
        {
            throw new JsonException("there is more after the pod");
        }

        return pod ?? throw new JsonException("the pod is null");
    }

    private delegate bool Field<in T>(T target, ref Utf8JsonReader reader, string key, string at);

    private delegate T? Item<T>(ref Utf8JsonReader reader, string at);

    private static T? Object<T>(ref Utf8JsonReader reader, string path, Field<T> field)
        where T : class, new()
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Wrong(path, "an object");
        }

        var target = new T();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (!field(target, ref reader, key, path.Length == 0 ? key : $"{path}.{key}"))
            {
                reader.Skip();
            }
        }

        return target;
    }

    private static ObjectMeta? Metadata(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (ObjectMeta meta, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "name": meta.Name = Text(ref reader, at); return true;
                case "namespace": meta.Namespace = Text(ref reader, at); return true;
                case "uid": meta.Uid = Text(ref reader, at); return true;
                case "resourceVersion": meta.ResourceVersion = Text(ref reader, at); return true;
                case "deletionTimestamp": meta.DeletionTimestamp = Text(ref reader, at); return true;
                case "labels": meta.Labels = TextMap(ref reader, at); return true;
                case "annotations": meta.Annotations = TextMap(ref reader, at); return true;
                case "ownerReferences": meta.OwnerReferences = List(ref reader, at, Owner); return true;
                default: return false;
            }
        });

    private static OwnerReference? Owner(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (OwnerReference owner, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "kind": owner.Kind = Text(ref reader, at); return true;
                case "name": owner.Name = Text(ref reader, at); return true;
                default: return false;
            }
        });

    private static PodSpec? Spec(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (PodSpec spec, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "nodeName": spec.NodeName = Text(ref reader, at); return true;
                case "hostNetwork": spec.HostNetwork = Flag(ref reader, at); return true;
                case "containers": spec.Containers = List(ref reader, at, Container) ?? null!; return true;
                case "initContainers": spec.InitContainers = List(ref reader, at, Container) ?? null!; return true;
                default: return false;
            }
        });

    private static Container? Container(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (Container container, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "name": container.Name = Text(ref reader, at); return true;
                case "image": container.Image = Text(ref reader, at); return true;
                case "restartPolicy": container.RestartPolicy = Text(ref reader, at); return true;
                case "env": container.Env = List(ref reader, at, Env) ?? null!; return true;
                case "ports": container.Ports = List(ref reader, at, Port) ?? null!; return true;
                case "securityContext": container.SecurityContext = Security(ref reader, at); return true;
                default: return false;
            }
        });

    private static EnvVar? Env(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (EnvVar env, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "name": env.Name = Text(ref reader, at); return true;
                case "value": env.Value = Text(ref reader, at); return true;
                default: return false;
            }
        });

    private static ContainerPort? Port(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (ContainerPort port, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "containerPort": port.Port = Number(ref reader, at) ?? throw Wrong(at, "an integer"); return true;
                case "protocol": port.Protocol = Text(ref reader, at); return true;
                case "name": port.Name = Text(ref reader, at); return true;
                default: return false;
            }
        });

    private static SecurityContext? Security(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (SecurityContext context, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "runAsUser": context.RunAsUser = Long(ref reader, at); return true;
                case "runAsGroup": context.RunAsGroup = Long(ref reader, at); return true;
                default: return false;
            }
        });

    private static PodStatus? Status(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (PodStatus status, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "phase": status.Phase = Text(ref reader, at); return true;
                case "podIP": status.PodIP = Text(ref reader, at); return true;
                case "podIPs": status.PodIPs = List(ref reader, at, PodIp) ?? null!; return true;
                case "initContainerStatuses": status.InitContainerStatuses = List(ref reader, at, ContainerStatus) ?? null!; return true;
                default: return false;
            }
        });

    private static ContainerStatus? ContainerStatus(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (ContainerStatus status, ref Utf8JsonReader reader, string key, string at) =>
        {
            switch (key)
            {
                case "name": status.Name = Text(ref reader, at); return true;
                case "state": status.State = State(ref reader, at); return true;
                case "lastState": status.LastState = State(ref reader, at); return true;
                case "restartCount": status.RestartCount = Number(ref reader, at) ?? throw Wrong(at, "an integer"); return true;
                default: return false;
            }
        });

    private static ContainerState? State(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (ContainerState state, ref Utf8JsonReader reader, string key, string at) =>
        {
            if (key != "terminated")
            {
                return false;
            }

            state.Terminated = Object(ref reader, at, static (ContainerStateTerminated terminated, ref Utf8JsonReader reader, string key, string at) =>
            {
                if (key != "exitCode")
                {
                    return false;
                }

                terminated.ExitCode = Number(ref reader, at) ?? throw Wrong(at, "an integer");
                return true;
            });
            return true;
        });

    private static PodIP? PodIp(ref Utf8JsonReader reader, string path) =>
        Object(ref reader, path, static (PodIP ip, ref Utf8JsonReader reader, string key, string at) =>
        {
            if (key != "ip")
            {
                return false;
            }

            ip.Ip = Text(ref reader, at);
            return true;
        });

    private static List<T>? List<T>(ref Utf8JsonReader reader, string path, Item<T> item)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Wrong(path, "an array");
        }

        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(item(ref reader, $"{path}[{list.Count}]")!);
        }

        return list;
    }

    private static Dictionary<string, string>? TextMap(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Wrong(path, "an object");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = Text(ref reader, $"{path}.{key}")!;
        }

        return map;
    }

    private static string? Text(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Wrong(path, "a string"),
    };

    private static int? Number(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Wrong(path, "an integer"),
    };

    private static long? Long(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Wrong(path, "an integer"),
    };

    private static bool Flag(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Wrong(path, "true or false"),
    };

    private static JsonException Wrong(string path, string expected) =>
        new($"pod field '{path}' is not {expected}", path.Length == 0 ? "$" : "$." + path, lineNumber: null, bytePositionInLine: null);
}
