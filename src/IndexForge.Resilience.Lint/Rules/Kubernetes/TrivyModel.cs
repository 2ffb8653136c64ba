using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>Trivy invocations in containers: `trivy image ... TARGET`.</summary>
public static class TrivyModel
{
    private static readonly HashSet<string> FlagsWithValue = new(StringComparer.Ordinal)
    {
        "--severity", "-s", "--exit-code", "--format", "-f", "--output", "-o", "--cache-dir", "--timeout", "--ignorefile",
        "--template", "-t", "--vuln-type", "--scanners", "--db-repository", "--skip-dirs", "--skip-files", "--platform", "--input", "-i",
    };

    public sealed record Invocation(PodTemplate Pod, YamlMappingNode Container, IReadOnlyList<string> Args, IReadOnlyList<string> Targets, int Line);

    public static IEnumerable<Invocation> Invocations(ConfigSet set)
    {
        foreach (var (pod, container) in ContainerModel.AllContainers(set))
        {
            var image = container.Str("image") ?? "";
            var command = container.Get("command").Strings();
            var args = container.Get("args").Strings();
            var all = command.Concat(args).ToList();
            static bool IsBinary(string a) => a == "trivy" || a.EndsWith("/trivy", StringComparison.Ordinal);
            var isTrivy = ContainerModel.Repository(image).EndsWith("trivy", StringComparison.Ordinal) || (all.Count > 0 && IsBinary(all[0]));
            if (!isTrivy) continue;
            var words = all.Count > 0 && IsBinary(all[0]) ? all.Skip(1).ToList() : all;
            var imageIdx = words.FindIndex(a => a is "image" or "i");
            if (imageIdx < 0) continue;
            var targets = new List<string>();
            for (var i = imageIdx + 1; i < words.Count; i++)
            {
                var w = words[i];
                if (w.StartsWith('-'))
                {
                    if (!w.Contains('=') && FlagsWithValue.Contains(w)) i++;
                    continue;
                }
                targets.Add(w);
            }
            yield return new Invocation(pod, container, words, targets, container.LineOf(container.Line(), container.Has("args") ? "args" : "command"));
        }
    }
}
