using System.Globalization;

namespace IndexForge.Resilience.Lint.Parsing;

public enum HclValueKind { String, Number, Bool, List, Object, Expression }

/// <summary>A value with its line; lists and objects keep their children.</summary>
public sealed record HclValue(HclValueKind Kind, string Text, int Line)
{
    public IReadOnlyList<HclValue> Items { get; init; } = [];
    public HclBody? Object { get; init; }

    /// <summary>Vault reads booleans with ParseBool: true/false, 1/0, "true"/"1"/"t".</summary>
    public bool? AsBool() => Text.ToLowerInvariant() switch
    {
        "true" or "1" or "t" => true,
        "false" or "0" or "f" => false,
        _ => null,
    };

    public override string ToString() => Text;
}

public sealed record HclAttribute(string Name, HclValue Value, int Line);

public sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, int Line)
{
    public string? Label => Labels.Count > 0 ? Labels[0] : null;
}

public sealed class HclBody
{
    public List<HclAttribute> Attributes { get; } = [];
    public List<HclBlock> Blocks { get; } = [];

    public HclAttribute? Attribute(string name) => Attributes.LastOrDefault(a => a.Name == name);
    public string? Str(string name) => Attribute(name)?.Value.Text;
    public IEnumerable<HclBlock> BlocksOf(string type) => Blocks.Where(b => b.Type == type);
}

/// <summary>
/// A small HCL parser: blocks with labels, attributes, strings (with escapes and ${} kept raw),
/// heredocs, numbers, booleans, lists and objects, and the three comment styles. Enough for Vault's
/// server configuration; anything else is a <see cref="ParseException"/> with the line.
/// </summary>
public sealed class HclParser
{
    private readonly List<Token> _tokens;
    private int _pos;

    private HclParser(List<Token> tokens) => _tokens = tokens;

    public static HclBody Parse(string text)
    {
        var parser = new HclParser(Lex(text));
        var body = parser.ParseBody(topLevel: true);
        return body;
    }

    private enum T { Ident, String, Number, LBrace, RBrace, LBracket, RBracket, Equals, Comma, Newline, Eof, Other }

    private readonly record struct Token(T Kind, string Text, int Line, int Column);

    private Token Peek(int ahead = 0) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];
    private Token Next() => _tokens[Math.Min(_pos++, _tokens.Count - 1)];

    private void SkipNewlines()
    {
        while (Peek().Kind == T.Newline) _pos++;
    }

    private HclBody ParseBody(bool topLevel)
    {
        var body = new HclBody();
        while (true)
        {
            SkipNewlines();
            var token = Peek();
            if (token.Kind == T.Eof)
            {
                if (!topLevel) throw new ParseException("unexpected end of file: a block is not closed with '}'", token.Line, token.Column);
                return body;
            }
            if (token.Kind == T.RBrace)
            {
                if (topLevel) throw new ParseException("unexpected '}'", token.Line, token.Column);
                _pos++;
                return body;
            }
            if (token.Kind is not (T.Ident or T.String))
                throw new ParseException($"expected an attribute or block name, found '{token.Text}'", token.Line, token.Column);

            var name = Next();
            if (Peek().Kind == T.Equals)
            {
                _pos++;
                var value = ParseValue();
                body.Attributes.Add(new HclAttribute(name.Text, value, name.Line));
                ExpectEndOfStatement();
                continue;
            }

            var labels = new List<string>();
            while (Peek().Kind is T.String or T.Ident) labels.Add(Next().Text);
            var open = Next();
            if (open.Kind != T.LBrace)
                throw new ParseException($"expected '=' or '{{' after '{name.Text}', found '{open.Text}'", open.Line, open.Column);
            var inner = ParseBody(topLevel: false);
            body.Blocks.Add(new HclBlock(name.Text, labels, inner, name.Line));
        }
    }

    private void ExpectEndOfStatement()
    {
        var token = Peek();
        if (token.Kind is T.Newline or T.Eof or T.RBrace or T.Comma)
        {
            if (token.Kind is T.Comma) _pos++;
            return;
        }
        throw new ParseException($"expected a new line after the attribute, found '{token.Text}'", token.Line, token.Column);
    }

    private HclValue ParseValue()
    {
        var token = Next();
        switch (token.Kind)
        {
            case T.String:
                return new HclValue(HclValueKind.String, token.Text, token.Line);
            case T.Number:
                return new HclValue(HclValueKind.Number, token.Text, token.Line);
            case T.Ident when token.Text is "true" or "false":
                return new HclValue(HclValueKind.Bool, token.Text, token.Line);
            case T.Ident:
                return new HclValue(HclValueKind.Expression, token.Text, token.Line);
            case T.LBracket:
            {
                var items = new List<HclValue>();
                while (true)
                {
                    SkipNewlines();
                    if (Peek().Kind == T.RBracket) { _pos++; break; }
                    items.Add(ParseValue());
                    SkipNewlines();
                    var sep = Peek();
                    if (sep.Kind == T.Comma) { _pos++; continue; }
                    if (sep.Kind == T.RBracket) { _pos++; break; }
                    throw new ParseException($"expected ',' or ']' in a list, found '{sep.Text}'", sep.Line, sep.Column);
                }
                return new HclValue(HclValueKind.List, "[" + string.Join(", ", items.Select(i => i.Text)) + "]", token.Line) { Items = items };
            }
            case T.LBrace:
            {
                var body = ParseBody(topLevel: false);
                return new HclValue(HclValueKind.Object, "{...}", token.Line) { Object = body };
            }
            default:
                throw new ParseException($"expected a value, found '{token.Text}'", token.Line, token.Column);
        }
    }

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, col = 1;
        void Advance(int n = 1)
        {
            for (var k = 0; k < n && i < text.Length; k++)
            {
                if (text[i] == '\n') { line++; col = 1; } else col++;
                i++;
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { tokens.Add(new Token(T.Newline, "\\n", line, col)); Advance(); continue; }
            if (char.IsWhiteSpace(c)) { Advance(); continue; }
            if (c == '#' || (c == '/' && At(text, i + 1) == '/'))
            {
                while (i < text.Length && text[i] != '\n') Advance();
                continue;
            }
            if (c == '/' && At(text, i + 1) == '*')
            {
                int startLine = line, startCol = col;
                Advance(2);
                while (i < text.Length && !(text[i] == '*' && At(text, i + 1) == '/')) Advance();
                if (i >= text.Length) throw new ParseException("unterminated /* comment", startLine, startCol);
                Advance(2);
                continue;
            }
            int tokLine = line, tokCol = col;
            switch (c)
            {
                case '{': tokens.Add(new Token(T.LBrace, "{", tokLine, tokCol)); Advance(); continue;
                case '}': tokens.Add(new Token(T.RBrace, "}", tokLine, tokCol)); Advance(); continue;
                case '[': tokens.Add(new Token(T.LBracket, "[", tokLine, tokCol)); Advance(); continue;
                case ']': tokens.Add(new Token(T.RBracket, "]", tokLine, tokCol)); Advance(); continue;
                case '=': case ':': tokens.Add(new Token(T.Equals, "=", tokLine, tokCol)); Advance(); continue;
                case ',': tokens.Add(new Token(T.Comma, ",", tokLine, tokCol)); Advance(); continue;
            }
            if (c == '"')
            {
                var sb = new System.Text.StringBuilder();
                Advance();
                var depth = 0;
                while (true)
                {
                    if (i >= text.Length || text[i] == '\n') throw new ParseException("unterminated string", tokLine, tokCol);
                    var ch = text[i];
                    if (ch == '\\' && i + 1 < text.Length)
                    {
                        var esc = text[i + 1];
                        sb.Append(esc switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => esc });
                        Advance(2);
                        continue;
                    }
                    if (ch == '$' && At(text, i + 1) == '{') { depth++; sb.Append("${"); Advance(2); continue; }
                    if (ch == '}' && depth > 0) { depth--; sb.Append('}'); Advance(); continue; }
                    if (ch == '"' && depth == 0) { Advance(); break; }
                    sb.Append(ch);
                    Advance();
                }
                tokens.Add(new Token(T.String, sb.ToString(), tokLine, tokCol));
                continue;
            }
            if (c == '<' && At(text, i + 1) == '<')
            {
                Advance(2);
                if (At(text, i) == '-') Advance();
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) Advance();
                var marker = text[start..i];
                if (marker.Length == 0) throw new ParseException("heredoc without a marker", tokLine, tokCol);
                while (i < text.Length && text[i] != '\n') Advance();
                Advance();
                var content = new System.Text.StringBuilder();
                while (true)
                {
                    if (i >= text.Length) throw new ParseException($"heredoc {marker} is not closed", tokLine, tokCol);
                    var lineStart = i;
                    while (i < text.Length && text[i] != '\n') Advance();
                    var current = text[lineStart..i];
                    Advance();
                    if (current.Trim() == marker) break;
                    content.AppendLine(current);
                }
                tokens.Add(new Token(T.String, content.ToString(), tokLine, tokCol));
                tokens.Add(new Token(T.Newline, "\\n", line, col));
                continue;
            }
            if (char.IsDigit(c) || (c == '-' && char.IsDigit(At(text, i + 1))))
            {
                var start = i;
                Advance();
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_')) Advance();
                var number = text[start..i];
                var kind = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? T.Number : T.Other;
                if (kind == T.Other) throw new ParseException($"invalid number '{number}'", tokLine, tokCol);
                tokens.Add(new Token(T.Number, number, tokLine, tokCol));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.')) Advance();
                tokens.Add(new Token(T.Ident, text[start..i], tokLine, tokCol));
                continue;
            }
            throw new ParseException($"unexpected character '{c}'", tokLine, tokCol);
        }
        tokens.Add(new Token(T.Eof, "end of file", line, col));
        return tokens;
    }

    private static char At(string text, int index) => index < text.Length ? text[index] : '\0';
}
