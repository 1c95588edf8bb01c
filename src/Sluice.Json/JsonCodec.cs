using System.Text.Json;

namespace Sluice.Json;

/// <summary>
/// How one kind of value is read from and written to JSON. Types are as strict as
/// System.Text.Json's: a number is not a string, <c>1.5</c> is not an integer; JSON <c>null</c>
/// reads as the codec's null (usually <c>default</c>). A value of the wrong type throws
/// <see cref="JsonFieldException"/> naming the field's path.
/// </summary>
public abstract class JsonCodec<TValue>
{
    /// <summary>What a value of this codec is, as an error message says it (<c>an integer</c>).</summary>
    public abstract string Expected { get; }

    /// <summary>Reads the value the reader is on; the reader ends on the value's last token.</summary>
    public abstract TValue Read(ref Utf8JsonReader reader, in JsonAt at);

    public abstract void Write(Utf8JsonWriter writer, TValue value);

    /// <summary>Whether a field holding <paramref name="value"/> is left out when writing: null values are.</summary>
    public virtual bool IsAbsent(TValue value) => value is null;

    /// <summary>The error for a value of the wrong JSON type at <paramref name="at"/>.</summary>
    protected JsonFieldException WrongType(in JsonAt at) => new(at.Path, Expected);
}
