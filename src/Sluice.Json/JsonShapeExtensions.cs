namespace Sluice.Json;

public static class JsonShapeExtensions
{
    /// <summary>Declares every key of <paramref name="fields"/>, a base type's, for the derived type the shape reads.</summary>
    public static JsonShape<T> Include<T, TBase>(this JsonShape<T> shape, IEnumerable<JsonField<TBase>> fields)
        where T : class, TBase
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            shape.Add(field as JsonField<T> ?? new InheritedField<T, TBase>(field));
        }

        return shape;
    }
}
