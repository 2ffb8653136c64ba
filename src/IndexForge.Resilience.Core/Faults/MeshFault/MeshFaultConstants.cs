namespace IndexForge.Resilience.Core.Faults.MeshFault;

public static class MeshFaultConstants
{
    public const double DefaultPercent = 100.0;
}
