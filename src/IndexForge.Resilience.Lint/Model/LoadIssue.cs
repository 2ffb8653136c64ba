namespace IndexForge.Resilience.Lint.Model;

public enum LoadIssueKind { ParseError, Fragment, Unrecognized }

/// <summary>Something the loader noticed while reading a file; the General rules turn these into findings.</summary>
public sealed record LoadIssue(LoadIssueKind Kind, string File, int Line, string Detail);
