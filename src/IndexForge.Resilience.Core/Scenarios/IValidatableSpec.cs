namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// Options that check themselves beyond DataAnnotations (e.g. a threshold expression that must
/// parse). Each problem names the YAML key it is about, so it is reported at that key's position.
/// </summary>
public interface IValidatableSpec
{
    IEnumerable<(string Key, string Message)> ValidateSpec();
}
