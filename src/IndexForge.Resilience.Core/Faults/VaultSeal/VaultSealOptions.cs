namespace IndexForge.Resilience.Core.Faults.VaultSeal;

/// <summary>`vault-seal`: Vault is sealed for the window and unsealed after it.</summary>
public sealed record VaultSealOptions : FaultOptions
{
    public override string Subject => "vault";
}
