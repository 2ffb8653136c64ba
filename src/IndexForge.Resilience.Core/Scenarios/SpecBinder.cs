using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// Binds a YAML node tree onto the scenario records by reflection: camelCase keys to properties,
/// <c>type:</c> to the concrete options of an abstract base (through <see cref="ScenarioCatalog"/>),
/// DataAnnotations checked at the key's position. It never stops at the first problem: every
/// error goes to the list, so a file with five mistakes reports five.
/// </summary>
internal sealed class SpecBinder(string file, ScenarioCatalog catalog, List<ScenarioError> errors)
{
    private const string TypeKey = "type";

    public T? BindRoot<T>(YamlNode node) where T : SpecNode => (T?)Bind(typeof(T), node, "");

    private SourceLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    private void Error(YamlNode node, string message) => errors.Add(new ScenarioError(At(node), message));

    private object? Bind(Type type, YamlNode node, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            var isNull = node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" };
            return isNull ? null : Bind(underlying, node, path);
        }
        if (typeof(SpecNode).IsAssignableFrom(type)) return BindObject(type, node, path);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return BindList(type, node, path);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return BindMap(type, node, path);
        return BindScalar(type, node, path);
    }

    private object? BindScalar(Type type, YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{path}' must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}");
            return null;
        }
        var text = scalar.Value ?? "";
        if (type == typeof(string)) return text;
        if (type == typeof(bool))
        {
            if (text is "true" or "false") return text == "true";
            Error(node, $"'{path}' must be true or false, not '{text}'");
            return null;
        }
        if (type == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
            Error(node, $"'{path}' must be a whole number, not '{text}'");
            return null;
        }
        if (type == typeof(long))
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
            Error(node, $"'{path}' must be a whole number, not '{text}'");
            return null;
        }
        if (type == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            Error(node, $"'{path}' must be a number, not '{text}'");
            return null;
        }
        if (type == typeof(TimeSpan))
        {
            if (Durations.TryParse(text, out var t)) return t;
            var hint = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? $" (a duration needs a unit, e.g. {text}s or {text}ms)"
                : " (e.g. 30s, 500ms, 1m30s)";
            Error(node, $"'{path}' must be a duration, not '{text}'{hint}");
            return null;
        }
        Error(node, $"'{path}': values of type {type.Name} are not supported by the scenario format");
        return null;
    }

    private object? BindList(Type type, YamlNode node, string path)
    {
        var itemType = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        if (node is YamlScalarNode { Value: null or "" }) return list;
        if (node is not YamlSequenceNode seq)
        {
            Error(node, $"'{path}' must be a list (items starting with '- ')");
            return null;
        }
        var i = 0;
        foreach (var child in seq.Children)
        {
            var value = Bind(itemType, child, $"{path}[{i++}]");
            if (value is not null) list.Add(value);
        }
        return list;
    }

    private object? BindMap(Type type, YamlNode node, string path)
    {
        var args = type.GetGenericArguments();
        if (args[0] != typeof(string)) throw new InvalidOperationException("only string-keyed maps are supported");
        var map = (IDictionary)Activator.CreateInstance(type, StringComparer.Ordinal)!;
        if (node is YamlScalarNode { Value: null or "" }) return map;
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{path}' must be a mapping of names to values");
            return null;
        }
        foreach (var (k, v) in mapping.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            var value = Bind(args[1], v, $"{path}.{key}");
            if (value is not null) map[key] = value;
        }
        return map;
    }

    private object? BindObject(Type type, YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"'{(path.Length == 0 ? "the file" : path)}' must be a mapping of keys to values");
            return null;
        }
        string? typeKey = null;
        if (type.IsAbstract)
        {
            var registry = catalog.For(type) ?? throw new InvalidOperationException($"no registry for {type.Name}");
            var typeNode = Find(mapping, TypeKey);
            if (typeNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                Error(typeNode ?? node, $"'{path}' needs a 'type:' (one of {string.Join(", ", registry.Keys)})");
                return null;
            }
            if (!registry.TryGetValue(name, out var concrete))
            {
                Error(typeNode, $"unknown type '{name}' in '{path}'{DidYouMean.Hint(name, registry.Keys)}; known types: {string.Join(", ", registry.Keys)}");
                return null;
            }
            type = concrete;
            typeKey = name;
        }

        var properties = BindableProperties(type);
        var instance = (SpecNode)Activator.CreateInstance(type)!;
        instance.Location = At(node);
        // Keys already reported (a value that did not bind, a key misspelt as an unknown one) are not
        // reported a second time as "out of range" or "missing": one mistake, one error.
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (!properties.TryGetValue(key, out var property))
            {
                var where = path.Length == 0 ? "at the top level" : $"in '{path}'";
                var kind = typeKey is null ? "" : $" for type '{typeKey}'";
                Error(k, $"unknown key '{key}' {where}{kind}{DidYouMean.Hint(key, properties.Keys)}");
                if (DidYouMean.Suggest(key, properties.Keys) is { } meant) reported.Add(meant);
                continue;
            }
            instance.SetKeyLocation(key, At(v));
            var before = errors.Count;
            var value = Bind(property.PropertyType, v, path.Length == 0 ? key : $"{path}.{key}");
            if (errors.Count > before) reported.Add(key);
            if (value is not null) property.SetValue(instance, value);
        }
        Validate(instance, properties, path, reported);
        return instance;
    }

    /// <summary>DataAnnotations on each property, reported where the key is (or the mapping, if missing).</summary>
    private void Validate(SpecNode instance, IReadOnlyDictionary<string, PropertyInfo> properties, string path, HashSet<string> reported)
    {
        foreach (var (key, property) in properties)
        {
            if (reported.Contains(key)) continue;
            var attributes = property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToList();
            if (attributes.Count == 0) continue;
            var value = property.GetValue(instance);
            var present = instance.HasKey(key);
            foreach (var attribute in attributes)
            {
                if (attribute is not RequiredAttribute && value is null) continue;
                if (attribute.IsValid(value)) continue;
                var name = path.Length == 0 ? key : $"{path}.{key}";
                var message = !present
                    ? $"missing key '{key}' in '{(path.Length == 0 ? "the file" : path)}'{Describe(attribute, withPrefix: true)}"
                    : $"'{name}' {Describe(attribute, withPrefix: false)}";
                errors.Add(new ScenarioError(instance.LocationOf(key), message));
                break;
            }
        }
    }

    private static string Describe(ValidationAttribute attribute, bool withPrefix)
    {
        var text = attribute switch
        {
            RequiredAttribute => "is required and must not be empty",
            RangeAttribute r => $"must be between {Fmt(r.Minimum)} and {Fmt(r.Maximum)}",
            MinLengthAttribute m => $"must have at least {m.Length} item(s)",
            AllowedValuesAttribute a => $"must be one of {string.Join(", ", a.Values.Select(v => $"'{v}'"))}",
            _ => attribute.ErrorMessage ?? "is not valid",
        };
        if (!withPrefix) return text;
        return attribute is RequiredAttribute ? "" : $" (it {text})";
    }

    private static string Fmt(object o) => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "";

    private static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(kv => (kv.Key as YamlScalarNode)?.Value == key).Value;

    private static readonly Dictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> PropertyCache = [];

    /// <summary>Public init/settable properties, by camelCase YAML key; <c>Location</c> and computed members excluded.</summary>
    internal static IReadOnlyDictionary<string, PropertyInfo> BindableProperties(Type type)
    {
        lock (PropertyCache)
        {
            if (PropertyCache.TryGetValue(type, out var cached)) return cached;
            var map = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.DeclaringType != typeof(SpecNode) && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], StringComparer.Ordinal);
            PropertyCache[type] = map;
            return map;
        }
    }
}
