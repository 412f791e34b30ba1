using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Hosting;

/// <summary>
/// At start-up, in every environment: can each registered job and middleware be built from the container? A job
/// whose constructor needs an unregistered service would otherwise pass start-up and fail every attempt.
/// </summary>
internal static class RegistrationCheck
{
    public static void ThrowIfUnresolvable(InProcOptions options, IServiceProvider services)
    {
        if (services.GetService<IServiceProviderIsService>() is not { } isService)
        {
            return; // a container that cannot answer: nothing to check against
        }

        var errors = new List<string>();
        foreach (var job in options.Jobs)
        {
            Check(job.JobType, "Job", isService, errors);
        }

        foreach (var middleware in options.Middleware)
        {
            Check(middleware, "Middleware", isService, errors);
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("InProc cannot build every registered job: " + string.Join(" ", errors));
        }
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Job and middleware types come from AddJob<TJob>/UseMiddleware<T>, whose type parameters keep their public constructors.")]
    private static void Check(Type type, string kind, IServiceProviderIsService isService, List<string> errors)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (constructors.Length == 0)
        {
            errors.Add($"{kind} '{type.FullName}' has no public constructor.");
            return;
        }

        // The container picks a constructor whose parameters it can all resolve; report the longest one's gaps.
        List<Type>? fewestMissing = null;
        foreach (var constructor in constructors.OrderByDescending(c => c.GetParameters().Length))
        {
            var missing = constructor.GetParameters()
                .Where(p => !p.HasDefaultValue && !isService.IsService(p.ParameterType))
                .Select(p => p.ParameterType)
                .ToList();
            if (missing.Count == 0)
            {
                return;
            }

            fewestMissing ??= missing;
        }

        errors.Add(
            $"{kind} '{type.FullName}' needs {string.Join(", ", fewestMissing!.Select(t => $"'{t.FullName}'"))}, which is not registered in the service collection. " +
            $"Register it (for example services.AddScoped<{fewestMissing![0].Name}>()), or change the constructor of {type.Name}.");
    }
}
