namespace IndexForge.Resilience.Lint.Parsing;

/// <summary>A file that cannot be read as its kind; becomes a LINT001 finding at the line.</summary>
public sealed class ParseException(string message, int line, int column = 0) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}
