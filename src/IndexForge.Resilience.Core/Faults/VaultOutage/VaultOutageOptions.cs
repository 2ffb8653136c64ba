namespace IndexForge.Resilience.Core.Faults.VaultOutage;

/// <summary>`vault-outage`: The secrets server is stopped for the window and started again after it.</summary>
public sealed record VaultOutageOptions : FaultOptions
{
    public override string Subject => "vault";
}
