using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Parsing;

public static class YamlLoader
{
    /// <summary>Every document of a (multi-document) YAML text; empty documents are skipped.</summary>
    /// <exception cref="ParseException">with the line of the problem.</exception>
    public static IReadOnlyList<YamlNode> Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new ParseException(Clean(message), checked((int)e.Start.Line), checked((int)e.Start.Column));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // Duplicate keys and some scanner states fail without a position: locate the last event that parsed.
            throw new ParseException("invalid YAML: " + e.Message, LastParsedLine(text));
        }
        return stream.Documents
            .Select(d => d.RootNode)
            .Where(n => n is not YamlScalarNode { Value: null or "" })
            .ToList();
    }

    private static int LastParsedLine(string text)
    {
        long line = 1;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
                if (parser.Current is { } current) line = Math.Max(line, current.End.Line);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or FormatException)
        {
            // The line reached so far is the answer.
        }
        return checked((int)line);
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (Line: ...): "; the location is ours to print.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(idx + 3)..] : message;
    }
}
