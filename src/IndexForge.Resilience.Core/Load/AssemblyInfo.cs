using System.Runtime.CompilerServices;

// The schedulers, recorder and transports are internal; their tests live in Core.Tests/Load.
[assembly: InternalsVisibleTo("IndexForge.Resilience.Core.Tests")]
