namespace InProc;

/// <summary>
/// Sets the stable name a durable store (the SQLite journal) writes for a message type, instead of its CLR full
/// name, so the class can be renamed or moved without orphaning the jobs already stored under the old name.
/// </summary>
/// <remarks>
/// Put it on the message type before the first release that stores jobs, or set it to the old full name when you
/// rename the class. Names must be unique among the registered message types; a duplicate is a start-up error.
/// </remarks>
/// <param name="name">The stored name, such as <c>"orders.charge-card"</c>; not empty.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = false)]
public sealed class JobMessageNameAttribute(string name) : Attribute
{
    /// <summary>Gets the stored name of the message type.</summary>
    /// <value>The name given to the constructor.</value>
    public string Name { get; } = name;
}
