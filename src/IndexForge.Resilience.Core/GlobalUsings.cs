global using IndexForge.Resilience.Core.Scenarios;
