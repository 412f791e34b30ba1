namespace InProc.Samples.WebApp;

/// <summary>The body of <c>POST /signup</c>.</summary>
/// <param name="Email">The new user's email address; required.</param>
/// <param name="Name">The new user's name; required.</param>
public sealed record SignupRequest(string? Email, string? Name)
{
    /// <summary>Checks the request.</summary>
    /// <returns>Error messages by field (camelCase, as in the JSON body); empty when the request is valid.</returns>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Email))
        {
            errors["email"] = ["An email address is required."];
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["A name is required."];
        }

        return errors;
    }
}
