using System.Globalization;

namespace InProc.Sqlite.Journal;

/// <summary>
/// One process per journal: an exclusive lock on <c>jobs.db.lock</c> (FileShare.None: an OS lock, released by the kernel
/// when the process dies, kill -9 included), and the owner's process id in <c>jobs.db.owner</c> for the error the next
/// process gets. Two processes running the same jobs is what this prevents.
/// </summary>
internal sealed class JournalLock : IDisposable
{
    private readonly FileStream _lock;

    private JournalLock(FileStream held) => _lock = held;

    public static JournalLock Acquire(string databasePath)
    {
        var lockPath = databasePath + SqliteConstants.LockSuffix;
        var ownerPath = databasePath + SqliteConstants.OwnerSuffix;
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw JournalErrors.NoDirectory(databasePath, ex);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            // Held by another process (or, on Windows, another handle of this one): say who, as far as it told us.
            throw JournalErrors.Owned(databasePath, ReadOwner(ownerPath), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw JournalErrors.NotWritable(databasePath, lockPath, ex); // read-only file system, permissions, a full disk
        }

        try
        {
            File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + " " + Environment.MachineName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            held.Dispose();
            throw JournalErrors.NotWritable(databasePath, ownerPath, ex);
        }

        return new JournalLock(held);
    }

    public void Dispose() => _lock.Dispose();

    // Another handle holds the lock. Windows: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION. Unix: .NET's flock fails with
    // EWOULDBLOCK and the IOException carries the raw errno (11 on Linux, 35 on macOS and the BSDs).
    private static bool IsSharingViolation(IOException ex) => ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021) or 11 or 35;

    private static string? ReadOwner(string ownerPath)
    {
        try
        {
            return File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
