using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Core.Faults.TlsVersionProbe;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Core.Faults.WeakCipherProbe;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Kubernetes.Faults.ForeignCaProbe;
using IndexForge.Resilience.Kubernetes.Faults.PlaintextProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;
using IndexForge.Resilience.Kubernetes.Faults.TlsVersionProbe;
using IndexForge.Resilience.Kubernetes.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Kubernetes.Faults.WeakCipherProbe;
using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Faults;

public sealed class TlsProbeInjectorTests
{
    private const string Ns = FakeCluster.Ns;

    private static async Task<FakeCluster> StartAsync()
    {
        var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var ip = 5;
        foreach (var replica in new[] { "us-west-1", "us-west-2", "us-east-1" })
        {
            var n = ip++;
            fake.Api.Update($"/api/v1/namespaces/{Ns}/pods/indexforge-{replica}-abc", p => p["status"]!["podIP"] = $"10.42.0.{n}");
        }
        return fake;
    }

    private static KubeCluster WithCaller(FakeCluster fake, string callerRegion) => new()
    {
        Client = fake.Cluster.Client, Guard = fake.Cluster.Guard, Channels = fake.Cluster.Channels, Timings = fake.Cluster.Timings,
        CallerRegion = callerRegion, TlsProbeImage = "netshoot:pinned",
    };

    /// <summary>Plays the kubelet: the first probe pod created in <paramref name="ns"/> ends with <paramref name="exitCode"/> having printed <paramref name="log"/>.</summary>
    private static Task<string> Kubelet(FakeCluster fake, string ns, int exitCode, string log, CancellationToken ct) => Task.Run(async () =>
    {
        while (!ct.IsCancellationRequested)
        {
            var pod = fake.Api.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{ns}/pods");
            if (pod is not null && fake.Api.Exists($"/api/v1/namespaces/{ns}/pods/{pod.Json!["metadata"]!["name"]!.GetValue<string>()}"))
            {
                var name = pod.Json!["metadata"]!["name"]!.GetValue<string>();
                fake.Api.PodLogs[(ns, name)] = log;
                fake.Api.Update($"/api/v1/namespaces/{ns}/pods/{name}", stored => stored["status"] = JsonNode.Parse(
                    $$$$"""{"phase":"Failed","containerStatuses":[{"name":"probe","ready":false,"restartCount":0,"image":"c","imageID":"","state":{"terminated":{"exitCode":{{{{exitCode}}}}}}}]}"""));
                return name;
            }
            await Task.Delay(20, CancellationToken.None);
        }
        return "";
    });

    private const string UnknownCa = """
        >>> TLS 1.3, Handshake [length 0139], ClientHello
        <<< TLS 1.3, Handshake [length 007a], ServerHello
        <<< TLS 1.3, Alert [length 0002], fatal unknown_ca
        40F7:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1605:SSL alert number 48
        """;

    [Fact]
    public async Task ForeignCaProbe_UnknownCaAlert_RefusedUntrusted_ExactRequestsAndEverythingDeleted()
    {
        await using var fake = await StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var kubelet = Kubelet(fake, Ns, 1, UnknownCa, cts.Token);

        var fault = await new ForeignCaProbeInjector(WithCaller(fake, "us-east")).InjectAsync(new ForeignCaProbeOptions { Replica = "us-west-2" }, fake.RealTimeContext(), cts.Token);
        var name = await kubelet;

        Assert.Equal(("true", "untrusted-certificate", "us-west-2", "10.42.0.6:8080"), (fault.Details["refused"], fault.Details["reason"], fault.Details["target"], fault.Details["address"]));
        Assert.Contains("unknown_ca", fault.Details["evidence"]);
        Assert.Contains("IndexForge foreign probe CA", fault.Details["clientCertificate"]);
        Assert.Equal(
        [
            $"POST /apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies",
            $"POST /api/v1/namespaces/{Ns}/secrets",
            $"POST /api/v1/namespaces/{Ns}/pods",
            $"DELETE /api/v1/namespaces/{Ns}/pods/{name}",
            $"DELETE /api/v1/namespaces/{Ns}/secrets/{name}",
            $"DELETE /apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies/{name}",
        ], fake.Api.Mutations.Select(r => $"{r.Method} {r.Path}"));
        var pod = fake.Api.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal)).Json!;
        Assert.Equal("false", pod["metadata"]!["labels"]!["sidecar.istio.io/inject"]!.GetValue<string>());
        Assert.Equal("test", pod["metadata"]!["labels"]!["indexforge.io/run-id"]!.GetValue<string>());
        Assert.Equal("netshoot:pinned", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        var script = pod["spec"]!["containers"]![0]!["command"]![2]!.GetValue<string>();
        Assert.Contains("openssl s_client -connect 10.42.0.6:8080 -msg -quiet -cert /probe-cert/tls.crt -key /probe-cert/tls.key", script);
        var policy = fake.Api.Requests.First(r => r.Path.EndsWith("/networkpolicies", StringComparison.Ordinal)).Json!;
        Assert.Equal(8080, policy["spec"]!["ingress"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal(name, policy["spec"]!["ingress"]![0]!["from"]![0]!["podSelector"]!["matchLabels"]!["indexforge.io/probe"]!.GetValue<string>());
        var key = fake.Api.Requests.Single(r => r.Path.EndsWith("/secrets", StringComparison.Ordinal)).Json!["stringData"]!["tls.key"]!.GetValue<string>();
        Assert.DoesNotContain(fault.Details.Values, v => v.Contains("PRIVATE KEY", StringComparison.Ordinal) || v.Contains(key[30..60], StringComparison.Ordinal));
    }

    [Fact]
    public async Task TlsProbe_PodCreationFails_PolicyAndSecretUndone()
    {
        await using var fake = await StartAsync();
        fake.Api.FailWhen = r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal) ? 500 : null;

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() =>
            new ExpiredCertProbeInjector(WithCaller(fake, "us-west")).InjectAsync(new ExpiredCertProbeOptions(), fake.RealTimeContext(), CancellationToken.None));

        Assert.Contains("500", e.Message);
        var deletes = fake.Api.Mutations.Where(r => r.Method == "DELETE").Select(r => r.Path.Split('/')[^2]).ToList();
        Assert.Equal(["secrets", "networkpolicies"], deletes);
        Assert.DoesNotContain(fake.Api.Requests, r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal) && r.Body.Length == 0);
        Assert.Empty(fake.Api.Mutations.Where(r => r.Method == "POST").Select(r => r.Path.Split('/')[^1])
            .Except(fake.Api.Mutations.Where(r => r.Method == "DELETE").Select(r => r.Path.Split('/')[^2])).Except(["pods"]));
    }

    [Fact]
    public async Task TlsProbe_NamespaceNotOwned_RefusedBeforeAnyChange()
    {
        await using var fake = await StartAsync();
        var cluster = new KubeCluster
        {
            Client = fake.Cluster.Client, Channels = fake.Cluster.Channels, Timings = fake.Cluster.Timings,
            Namespace = Ns, Guard = new NamespaceGuard(Ns + "-other"),
        };

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() =>
            new PlaintextProbeInjector(cluster).InjectAsync(new PlaintextProbeOptions(), fake.Context(), CancellationToken.None));

        Assert.IsType<NamespaceGuardException>(e.InnerException);
        Assert.Empty(fake.Api.Mutations);
    }

    [Fact]
    public async Task TlsVersionProbe_NoReplica_AimsAtFirstReplicaOfCallerRegion_OffersTls11()
    {
        await using var fake = await StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var kubelet = Kubelet(fake, Ns, 1, ">>> TLS 1.1, Handshake [length 0085], ClientHello\n<<< TLS 1.2, Alert [length 0002], fatal protocol_version", cts.Token);

        var fault = await new TlsVersionProbeInjector(WithCaller(fake, "us-east")).InjectAsync(new TlsVersionProbeOptions(), fake.RealTimeContext(), cts.Token);
        await kubelet;

        Assert.Equal(("true", "protocol-version", "us-east-1", "1.1"), (fault.Details["refused"], fault.Details["reason"], fault.Details["target"], fault.Details["version"]));
        var pod = fake.Api.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal)).Json!;
        Assert.Contains("-connect 10.42.0.7:8080 -msg -quiet -tls1_1 -cipher DEFAULT@SECLEVEL=0", pod["spec"]!["containers"]![0]!["command"]![2]!.GetValue<string>());
        Assert.Null(pod["spec"]!["volumes"]); // no client certificate: the version is refused at the ServerHello
        Assert.DoesNotContain(fake.Api.Mutations, r => r.Path.Contains("/secrets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WeakCipherProbe_CipherWithShellCharacters_RefusedBeforeAnyChange()
    {
        await using var fake = await StartAsync();

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() => new WeakCipherProbeInjector(WithCaller(fake, "us-west"))
            .InjectAsync(new WeakCipherProbeOptions { Cipher = "AES128-SHA'; rm -rf /'" }, fake.RealTimeContext(), CancellationToken.None));

        Assert.Contains("not an OpenSSL cipher string", e.Message);
        Assert.DoesNotContain(fake.Api.Mutations, r => r.Path.EndsWith("/pods", StringComparison.Ordinal));
        Assert.Empty(fake.Api.Mutations.Where(r => r.Method == "POST").Select(r => r.Path).Except(fake.Api.Mutations.Where(r => r.Method == "DELETE").Select(r => r.Path[..r.Path.LastIndexOf('/')])));
    }

    [Fact]
    public async Task PlaintextProbe_CurlReset_PlaintextRejected()
    {
        await using var fake = await StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var kubelet = Kubelet(fake, Ns, 56, "000", cts.Token);

        var fault = await new PlaintextProbeInjector(WithCaller(fake, "us-west")).InjectAsync(new PlaintextProbeOptions { Replica = "us-east-1" }, fake.RealTimeContext(), cts.Token);
        await kubelet;

        Assert.Equal(("true", "plaintext-rejected"), (fault.Details["refused"], fault.Details["reason"]));
        var args = fake.Api.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal)).Json!["spec"]!["containers"]![0]!["command"]!.ToJsonString();
        Assert.Contains("http://10.42.0.7:8080/search?q=probe", args);
    }

    [Theory]
    // version / cipher probes: a ServerHello means the server accepted what was offered (the negative control)
    [InlineData(1, "<<< TLS 1.2, Handshake [length 0051], ServerHello\n<<< TLS 1.2, Alert [length 0002], fatal handshake_failure", true, "false", "accepted")]
    [InlineData(1, "<<< TLS 1.2, Alert [length 0002], fatal handshake_failure", true, "true", "handshake-failed")]
    [InlineData(1, "error:0A0000BF:SSL routines::no protocols available", true, "unknown", "client-could-not-offer")]
    [InlineData(0, "HTTP/1.1 200 OK", false, "false", "accepted")]
    [InlineData(0, "HTTP/1.1 403 Forbidden", false, "true", "http-403")]
    [InlineData(1, "<<< TLS 1.3, Alert [length 0002], fatal certificate_expired", false, "true", "certificate-expired")]
    [InlineData(1, "SSL alert number 116: tlsv13 alert certificate required", false, "true", "no-client-certificate")]
    [InlineData(124, "", false, "unknown", "timeout")]
    [InlineData(1, "connect:errno=111 Connection refused", false, "unknown", "connect-failed")]
    [InlineData(1, "write:errno=104", false, "true", "connection-reset")]
    [InlineData(0, "", false, "unknown", "no response and no alert")]
    public void Openssl_OutputAndExit_MapToEmbeddedReasons(int exit, string output, bool helloAccepts, string refused, string reason)
    {
        var o = TlsProbeOutcome.FromOpenssl(exit, output, helloAccepts);
        Assert.Equal((refused, reason), (o.Refused, o.Reason));
    }

    [Theory]
    [InlineData(56, "000", "true", "plaintext-rejected")]
    [InlineData(52, "000", "true", "plaintext-rejected")]
    [InlineData(0, "200", "false", "accepted")] // PERMISSIVE: plaintext gets through
    [InlineData(28, "000", "unknown", "timeout")]
    public void Curl_PlaintextOutcome(int exit, string output, string refused, string reason)
    {
        var o = TlsProbeOutcome.FromCurl(exit, output);
        Assert.Equal((refused, reason), (o.Refused, o.Reason));
    }

    [Fact]
    public void ProbeCertificates_Expired_NotAfterInThePast_ForCallerSpiffeId()
    {
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var c = ProbeCertificates.Issue(Ns, "probe CA", now.AddDays(-2), now.AddDays(-1));
        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(c.ChainPem.Split("\n\n")[0].Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----");

        Assert.True(cert.NotAfter.ToUniversalTime() < now.UtcDateTime);
        Assert.Contains($"spiffe://cluster.local/ns/{Ns}/sa/indexforge-caller", c.Describe);
        Assert.Contains("BEGIN PRIVATE KEY", c.KeyPem);
    }

    [Fact]
    public async Task UnauthorizedSourceProbe_WithReplica_ThroughHeadlessServiceOfThatReplica_ServiceDeleted()
    {
        await using var fake = await StartAsync();
        var probeNs = $"{Ns}-intruder";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var kubelet = Kubelet(fake, probeNs, 0, "403", cts.Token);

        var fault = await new UnauthorizedSourceProbeInjector(fake.Cluster).InjectAsync(new UnauthorizedSourceProbeOptions { Replica = "us-west-2" }, fake.RealTimeContext(), cts.Token);
        await kubelet;

        var service = UnauthorizedSourceProbeInjector.ReplicaServiceName("us-west-2");
        Assert.Equal(("true", "us-west-2", "10.42.0.6:8080"), (fault.Details["refused"], fault.Details["replica"], fault.Details["address"]));
        Assert.Equal($"http://{service}.{Ns}.svc.cluster.local:8080/search?q=probe", fault.Details["target"]);
        var created = fake.Api.Requests.Single(r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{Ns}/services").Json!;
        Assert.Equal("None", created["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal("us-west-2", created["spec"]!["selector"]!["indexforge.io/replica"]!.GetValue<string>());
        Assert.Contains(fake.Api.Requests, r => r.Method == "DELETE" && r.Path == $"/api/v1/namespaces/{Ns}/services/{service}");
        Assert.False(fake.Api.Exists($"/api/v1/namespaces/{Ns}/services/{service}"));
    }

    [Fact]
    public async Task UnauthorizedSourceProbe_UnknownReplica_RefusedBeforeAnyPod()
    {
        await using var fake = await StartAsync();

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() => new UnauthorizedSourceProbeInjector(fake.Cluster)
            .InjectAsync(new UnauthorizedSourceProbeOptions { Replica = "eu-1" }, fake.RealTimeContext(), CancellationToken.None));

        Assert.Contains("eu-1", e.Message);
        Assert.DoesNotContain(fake.Api.Mutations, r => r.Path.EndsWith("/pods", StringComparison.Ordinal) || r.Path.EndsWith("/services", StringComparison.Ordinal));
    }

    [Fact]
    public void KubeInjectors_EveryTlsProbeRegistered()
    {
        foreach (var type in new[] { FaultTypes.PlaintextProbe, FaultTypes.ForeignCaProbe, FaultTypes.ExpiredCertProbe, FaultTypes.TlsVersionProbe, FaultTypes.WeakCipherProbe })
            Assert.Equal(type, KubeInjectors.Create(type, new KubeCluster { Client = null!, Guard = new NamespaceGuard(Ns), Channels = null! })!.Type);
        Assert.Null(KubeInjectors.Create(FaultTypes.NetworkLatency, new KubeCluster { Client = null!, Guard = new NamespaceGuard(Ns), Channels = null! }));
    }
}
