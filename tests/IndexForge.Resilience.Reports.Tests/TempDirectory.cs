namespace IndexForge.Resilience.Reports.Tests;

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("indexforge-reports-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a browser may still hold a file; the OS cleans temp */ }
    }
}
