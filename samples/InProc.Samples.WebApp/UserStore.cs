using System.Collections.Concurrent;

namespace InProc.Samples.WebApp;

/// <summary>An in-memory user table standing in for a database. A singleton; thread-safe.</summary>
public sealed class UserStore
{
    private readonly ConcurrentDictionary<int, User> _users = new();
    private int _lastId;

    /// <summary>Saves a new user with the next id (1, 2, 3, ...).</summary>
    /// <param name="email">The user's email address.</param>
    /// <param name="name">The user's name.</param>
    /// <returns>The saved user.</returns>
    public User Add(string email, string name)
    {
        var user = new User(Interlocked.Increment(ref _lastId), email, name);
        _users[user.Id] = user;
        return user;
    }

    /// <summary>Finds a user by id.</summary>
    /// <param name="id">The user's id.</param>
    /// <returns>The user, or <see langword="null"/> when there is none with that id.</returns>
    public User? Find(int id) => _users.GetValueOrDefault(id);
}
