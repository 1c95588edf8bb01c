using System.Buffers.Binary;

namespace Sluice.TestSupport;

/// <summary>The program headers of a 64-bit little-endian ELF executable: how the kernel will load it.</summary>
public static class ElfProgramHeaders
{
    /// <summary>An interpreter (the dynamic loader) is named.</summary>
    public const uint PtInterp = 3;

    /// <summary>Dynamic linking information.</summary>
    public const uint PtDynamic = 2;

    /// <summary>p_type of every program header of <paramref name="path"/>.</summary>
    public static List<uint> SegmentTypes(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (!elf.AsSpan(0, 4).SequenceEqual("\u007fELF"u8))
        {
            throw new InvalidDataException($"{path} is not an ELF file");
        }

        var offset = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        var size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)offset + (i * size)))).ToList();
    }
}
