using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Vault;

/// <summary>Thrown with every problem of an options object at once.</summary>
public sealed class InvalidOptionsException(string optionsName, IReadOnlyList<string> errors)
    : ArgumentException($"{optionsName} is invalid: {string.Join("; ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

public static class OptionsValidation
{
    /// <summary>Runs the DataAnnotations of <paramref name="options"/> plus <paramref name="extraErrors"/> and throws one exception listing all of them.</summary>
    public static void ThrowIfInvalid(object options, IEnumerable<string>? extraErrors = null)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var errors = results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();
        if (extraErrors is not null) errors.AddRange(extraErrors);
        if (errors.Count > 0) throw new InvalidOptionsException(options.GetType().Name, errors);
    }
}
