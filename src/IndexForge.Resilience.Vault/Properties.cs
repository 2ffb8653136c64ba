// Fault hooks that emulate crashes mid-write are for tests only.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("IndexForge.Resilience.Vault.Tests")]
