using k8s;

namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>Builds API clients from a kubeconfig file (staging) or a kubeconfig text (k3s).</summary>
public static class KubeClients
{
    public static IKubernetes FromKubeconfigFile(string path, string? context = null)
    {
        if (!File.Exists(path)) throw new KubernetesTargetException($"kubeconfig '{path}' does not exist");
        try
        {
            return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context));
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new KubernetesTargetException($"kubeconfig '{path}'{(context is null ? "" : $" context '{context}'")}: {e.Message}", e);
        }
    }

    public static IKubernetes FromKubeconfigText(string kubeconfig)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(kubeconfig));
        return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }
}

/// <summary>
/// The environment is not usable (no Docker, no cluster, bad kubeconfig, refused namespace). The CLI
/// maps it to exit code 2 ("invalid input or environment") and prints <see cref="Exception.Message"/>.
/// </summary>
public class KubernetesTargetException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const int ExitCode = 2;
}
