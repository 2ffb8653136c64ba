global using IndexForge.Resilience.Lint.Parsing;
