using System.Text;

namespace Sluice.Linux.Nftables;

/// <summary>Comments in nftables' userdata TLV form (type, length, NUL-terminated text), so <c>nft list</c> shows them.</summary>
internal static class NftUserData
{
    public static byte[] Comment(string comment)
    {
        var text = Encoding.UTF8.GetBytes(comment);
        if (text.Length > 250)
        {
            throw new ArgumentException($"nftables comment longer than 250 bytes: {comment}", nameof(comment));
        }

        var data = new byte[text.Length + 3];
        data[0] = NftConstants.NFTNL_UDATA_COMMENT;
        data[1] = (byte)(text.Length + 1);
        text.CopyTo(data, 2);
        return data;
    }

    public static string? ReadComment(ReadOnlySpan<byte> data)
    {
        while (data.Length >= 2)
        {
            var type = data[0];
            var length = data[1];
            if (2 + length > data.Length)
            {
                return null;
            }

            if (type == NftConstants.NFTNL_UDATA_COMMENT)
            {
                var value = data.Slice(2, length);
                var end = value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
            }

            data = data[(2 + length)..];
        }

        return null;
    }
}
