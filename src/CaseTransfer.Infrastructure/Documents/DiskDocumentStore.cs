using CaseTransfer.Application.Documents;

namespace CaseTransfer.Infrastructure.Documents;

/// <summary>
/// Documents as files under one directory, a key's slashes as subdirectories. A file appears under its key only
/// complete and flushed to disk: it is written to a temporary name beside it and moved into place, so a crash or a
/// failed upload never leaves a partial document where a reader would find it.
/// </summary>
public sealed class DiskDocumentStore(string directory) : IDocumentStore
{
    private const int BufferSize = 81920;

    public string Kind => "disk";

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            throw new DocumentKeyExistsException(key);
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // A dot never appears in a key, so no key can name a temporary file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken);

                // On disk before it has a name a reader can open: the move below must not publish bytes a crash could lose.
                file.Flush(flushToDisk: true);
            }

            MoveIntoPlace(temporary, path, key);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(
                PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DocumentContentMissingException(key);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(key)));

    private static void MoveIntoPlace(string temporary, string path, string key)
    {
        try
        {
            // Without overwrite the move fails if the key was written meanwhile: the first writer keeps it.
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new DocumentKeyExistsException(key);
        }
    }

    private string PathOf(string key) =>
        Path.Combine(Directory, DocumentKey.Validate(key).Replace('/', Path.DirectorySeparatorChar));
}
