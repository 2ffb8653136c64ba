namespace IndexForge.Resilience.Core.Faults.RegionOutage;

public static class RegionOutageConstants
{
    public const string DefaultMode = "fail";
}
