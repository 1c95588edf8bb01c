using System.Buffers.Text;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>The expiry (<c>exp</c>) of a bearer token when it is a JWT, as service-account tokens are; read, never verified.</summary>
public static class JwtExpiry
{
    private static readonly JsonShape<Claims> ClaimsShape = new JsonShape<Claims>(() => new Claims(), KeyMatch.Exact)
        .Int64("exp", c => c.Exp, (c, v) => c.Exp = v);

    /// <summary>The token's expiry; null when it is not a JWT or carries no <c>exp</c>.</summary>
    public static DateTimeOffset? Of(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Split('.') is not [_, var payload, _] || payload.Length > 16 * 1024)
        {
            return null;
        }

        try
        {
            var claims = JsonText.Read(Base64Url.DecodeFromChars(payload), ClaimsShape);
            return claims?.Exp is { } exp && exp is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
        }
        catch (Exception error) when (error is FormatException or System.Text.Json.JsonException or JsonFieldException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed class Claims
    {
        public long? Exp { get; set; }
    }
}
