using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Portal.Application.Privacy;

/// <summary>
/// The on-disk form of one column's erasure index: its distinct entries (<see cref="SubjectKey.Hash"/>) sorted ascending, each
/// 8 bytes big-endian, nothing else — no header, no value bytes, no counts. A lookup binary-searches the file with positioned
/// reads (about 17 reads of 8 bytes for 100,000 entries), so nothing is loaded or cached in memory.
/// </summary>
public static class SubjectIndexFile
{
    public const int EntryBytes = 8;

    /// <summary>Writes <paramref name="entries"/> (sorted ascending, distinct) to <paramref name="path"/> through a temp file, replacing any previous file.</summary>
    public static void Write(string path, ReadOnlySpan<ulong> entries)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> buffer = stackalloc byte[EntryBytes * 512];
                var filled = 0;
                foreach (var entry in entries)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(buffer[filled..], entry);
                    filled += EntryBytes;
                    if (filled == buffer.Length)
                    {
                        file.Write(buffer);
                        filled = 0;
                    }
                }

                file.Write(buffer[..filled]);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Whether the index file at <paramref name="path"/> holds <paramref name="entry"/>; false when the file is missing.</summary>
    public static bool Contains(string path, ulong entry)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            var count = RandomAccess.GetLength(handle) / EntryBytes;
            Span<byte> buffer = stackalloc byte[EntryBytes];
            long low = 0, high = count - 1;
            while (low <= high)
            {
                var middle = low + ((high - low) >> 1);
                RandomAccess.Read(handle, buffer, middle * EntryBytes);
                var found = BinaryPrimitives.ReadUInt64BigEndian(buffer);
                if (found == entry)
                {
                    return true;
                }

                if (found < entry)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return false;
        }
    }
}
