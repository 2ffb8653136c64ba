namespace IndexForge.Resilience.Core.Faults.ReplicaHttpError;

public static class ReplicaHttpErrorConstants
{
    public const double DefaultRate = 1.0;
    public const int DefaultStatusCode = 500;
}
