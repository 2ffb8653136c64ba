using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server.Http;

/// <summary>
/// The server against raw HTTP requests as the Vault API docs write them (and as hvac sends them): exact paths,
/// JSON shapes, status codes and error texts, independent of our own client.
/// </summary>
public sealed partial class VaultHttpApiTests : IAsyncLifetime
{
    private static readonly string[] Envelope = ["request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth", "mount_type"];
    private VaultFixture _vault = null!;
    private HttpClient _root = null!;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")]
    private static partial Regex Rfc3339Nano();

    public async Task InitializeAsync()
    {
        _vault = await VaultFixture.StartAsync();
        _root = _vault.Raw(_vault.Server.RootToken);
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task PostData_HvacStyleBody_AnswersVersionMetadataInEnvelope()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"api-key":"one"},"options":{"cas":0}}""");

        Assert.Equal(200, status);
        Assert.Equal(Envelope.ToHashSet(), Json.Keys(body));
        var data = body!["data"]!;
        Assert.Equal(["created_time", "custom_metadata", "deletion_time", "destroyed", "version"], Json.Keys(data).Order());
        Assert.Equal(1, data["version"]!.GetValue<int>());
        Assert.Matches(Rfc3339Nano(), data["created_time"]!.GetValue<string>());
        Assert.Equal("", data["deletion_time"]!.GetValue<string>());
        Assert.False(data["destroyed"]!.GetValue<bool>());
        Assert.Null(data["custom_metadata"]);
        Assert.Equal("kv", body["mount_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetData_AnswersDataAndMetadata()
    {
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"api-key":"one","n":{"nested":[1,2]}}}""");
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"api-key":"two"}}""");

        var (status, body) = await Json.SendAsync(_root, HttpMethod.Get, "secret/data/indexforge/api-key?version=1");

        Assert.Equal(200, status);
        Assert.Equal(["data", "metadata"], Json.Keys(body!["data"]).Order());
        Assert.Equal("""{"api-key":"one","n":{"nested":[1,2]}}""", body["data"]!["data"]!.ToJsonString());
        Assert.Equal(1, body["data"]!["metadata"]!["version"]!.GetValue<int>());
        Assert.Equal(["created_time", "custom_metadata", "deletion_time", "destroyed", "version"], Json.Keys(body["data"]!["metadata"]).Order());
    }

    [Fact]
    public async Task PostData_CasMismatch_Answers400WithVaultText()
    {
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"two"},"options":{"cas":0}}""");

        Assert.Equal(400, status);
        Assert.Equal("""{"errors":["check-and-set parameter did not match the current version"]}""", body!.ToJsonString());
    }

    [Fact]
    public async Task PostData_WithoutData_Answers400()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"options":{}}""");
        Assert.Equal(400, status);
        Assert.Equal("no data provided", body!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task GetData_Missing_Answers404WithEmptyErrors()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Get, "secret/data/indexforge/none");
        Assert.Equal(404, status);
        Assert.Equal("""{"errors":[]}""", body!.ToJsonString());
    }

    [Fact]
    public async Task GetData_SoftDeletedVersion_Answers404WithMetadataAndNullData()
    {
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        var (deleteStatus, _) = await Json.SendAsync(_root, HttpMethod.Post, "secret/delete/indexforge/api-key", """{"versions":[1]}""");

        var (status, body) = await Json.SendAsync(_root, HttpMethod.Get, "secret/data/indexforge/api-key");

        Assert.Equal(204, deleteStatus);
        Assert.Equal(404, status);
        Assert.Null(body!["data"]!["data"]);
        Assert.Matches(Rfc3339Nano(), body["data"]!["metadata"]!["deletion_time"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListMethodAndListQuery_AnswerTheSameKeys()
    {
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/db/password", """{"data":{"k":"two"}}""");

        var (listStatus, listBody) = await Json.SendAsync(_root, new HttpMethod("LIST"), "secret/metadata/indexforge");
        var (getStatus, getBody) = await Json.SendAsync(_root, HttpMethod.Get, "secret/metadata/indexforge/?list=true");

        Assert.Equal((200, 200), (listStatus, getStatus));
        Assert.Equal("""{"keys":["api-key","db/"]}""", listBody!["data"]!.ToJsonString());
        Assert.Equal(listBody["data"]!.ToJsonString(), getBody!["data"]!.ToJsonString());
    }

    [Fact]
    public async Task GetMetadata_AnswersDocumentedShape()
    {
        await Json.SendAsync(_root, HttpMethod.Post, "secret/metadata/indexforge/api-key", """{"max_versions":5,"cas_required":false,"delete_version_after":"3h25m19s","custom_metadata":{"foo":"abc"}}""");
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");

        var (status, body) = await Json.SendAsync(_root, HttpMethod.Get, "secret/metadata/indexforge/api-key");

        Assert.Equal(200, status);
        var data = body!["data"]!;
        Assert.Equal(["cas_required", "created_time", "current_version", "custom_metadata", "delete_version_after", "max_versions", "oldest_version", "updated_time", "versions"], Json.Keys(data).Order());
        Assert.Equal("3h25m19s", data["delete_version_after"]!.GetValue<string>());
        Assert.Equal(5, data["max_versions"]!.GetValue<int>());
        Assert.Equal("abc", data["custom_metadata"]!["foo"]!.GetValue<string>());
        Assert.Equal(["created_time", "deletion_time", "destroyed"], Json.Keys(data["versions"]!["1"]).Order());
        // delete_version_after schedules the deletion of each new version.
        Assert.Matches(Rfc3339Nano(), data["versions"]!["1"]!["deletion_time"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnyPath_WithoutToken_Answers403PermissionDenied()
    {
        var anonymous = _vault.Raw();
        var (status, body) = await Json.SendAsync(anonymous, HttpMethod.Get, "secret/data/indexforge/api-key");
        Assert.Equal(403, status);
        Assert.Equal("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}", body!.ToJsonString());
    }

    [Fact]
    public async Task LimitedToken_OutsideItsPaths_Answers403WithVaultText()
    {
        var token = _vault.Server.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Read | VaultCapabilities.Create | VaultCapabilities.Update));
        var limited = _vault.Raw(token);

        var inside = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        var outside = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/payments/api-key", """{"data":{"k":"one"}}""");
        var metadata = await Json.SendAsync(limited, HttpMethod.Get, "secret/metadata/indexforge/api-key");
        var unknownMount = await Json.SendAsync(limited, HttpMethod.Get, "kv/data/x");

        Assert.Equal(200, inside.Status);
        Assert.All([outside, metadata, unknownMount], r =>
        {
            Assert.Equal(403, r.Status);
            Assert.Equal("1 error occurred:\n\t* permission denied\n\n", r.Body!["errors"]![0]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task CreateOnlyPolicy_UpdateOfExistingSecret_IsDenied()
    {
        // Vault's existence check: a write to an existing key needs "update", to a new key "create".
        var token = _vault.Server.CreateToken(new VaultPolicy("create-only", [new VaultPolicyRule("secret/data/indexforge/*", VaultCapabilities.Create)]));
        var limited = _vault.Raw(token);

        var first = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        var second = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"two"}}""");

        Assert.Equal((200, 403), (first.Status, second.Status));
    }

    [Fact]
    public async Task Sealed_EverythingButUnauthenticatedSys_Answers503Sealed()
    {
        await _vault.Server.SealAsync();

        var data = await Json.SendAsync(_root, HttpMethod.Get, "secret/data/indexforge/api-key");
        var lookup = await Json.SendAsync(_root, HttpMethod.Get, "auth/token/lookup-self");
        var health = await Json.SendAsync(_root, HttpMethod.Get, "sys/health");
        var sealStatus = await Json.SendAsync(_root, HttpMethod.Get, "sys/seal-status");

        Assert.All([data, lookup], r =>
        {
            Assert.Equal(503, r.Status);
            Assert.Equal("""{"errors":["Vault is sealed"]}""", r.Body!.ToJsonString());
        });
        Assert.Equal(503, health.Status);
        Assert.True(health.Body!["sealed"]!.GetValue<bool>());
        Assert.Equal(200, sealStatus.Status);
        Assert.Equal(["initialized", "migration", "n", "nonce", "progress", "recovery_seal", "sealed", "storage_type", "t", "type", "version"], Json.Keys(sealStatus.Body).Order());
    }

    [Fact]
    public async Task SealAndUnseal_OverHttp_FollowTheDocs()
    {
        var keys = _vault.Server.Initialization!.Keys;
        var seal = await Json.SendAsync(_root, HttpMethod.Put, "sys/seal");
        var anonymous = _vault.Raw();
        var progress = await Json.SendAsync(anonymous, HttpMethod.Put, "sys/unseal", $$"""{"key":"{{keys[0]}}"}""");
        var badKey = await Json.SendAsync(anonymous, HttpMethod.Put, "sys/unseal", """{"key":"not hex or base64!"}""");
        await Json.SendAsync(anonymous, HttpMethod.Put, "sys/unseal", $$"""{"Key":"{{keys[1]}}"}""");
        var done = await Json.SendAsync(anonymous, HttpMethod.Post, "sys/unseal", $$"""{"key":"{{keys[2]}}"}""");

        Assert.Equal(204, seal.Status);
        Assert.Equal((200, 1, true), (progress.Status, progress.Body!["progress"]!.GetValue<int>(), progress.Body["sealed"]!.GetValue<bool>()));
        Assert.Equal("'key' must be a valid hex or base64 string", badKey.Body!["errors"]![0]!.GetValue<string>());
        Assert.False(done.Body!["sealed"]!.GetValue<bool>());
        Assert.StartsWith("vault-cluster-", done.Body["cluster_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthHead_AnswersStatusWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "sys/health");
        using var response = await _root.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HealthBadCode_Answers400()
    {
        var (status, _) = await Json.SendAsync(_root, HttpMethod.Get, "sys/health?activecode=abc");
        var (flagStatus, _) = await Json.SendAsync(_root, HttpMethod.Get, "sys/health?standbyok=maybe");
        Assert.Equal((400, 400), (status, flagStatus));
    }

    [Fact]
    public async Task BearerAuthorization_IsAcceptedLikeTheTokenHeader()
    {
        var http = _vault.Raw();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _vault.Server.RootToken.Reveal());
        var (status, body) = await Json.SendAsync(http, HttpMethod.Get, "auth/token/lookup-self");
        Assert.Equal(200, status);
        Assert.Equal("root", body!["data"]!["policies"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task PolicyAndTokenCreate_OverHttp_GiveAWorkingLimitedToken()
    {
        const string hcl = """
            # the sample service's policy
            path "secret/data/indexforge/*" {
              capabilities = ["read"]
            }
            """;
        var put = await Json.SendAsync(_root, HttpMethod.Put, "sys/policies/acl/indexforge-read", new JsonObject { ["policy"] = hcl }.ToJsonString());
        var get = await Json.SendAsync(_root, HttpMethod.Get, "sys/policies/acl/indexforge-read");
        var created = await Json.SendAsync(_root, HttpMethod.Post, "auth/token/create", """{"policies":["indexforge-read"],"ttl":"1h","display_name":"sample"}""");
        await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"one"}}""");
        var token = created.Body!["auth"]!["client_token"]!.GetValue<string>();
        var limited = _vault.Raw(new Vault.Client.VaultToken(token));

        var read = await Json.SendAsync(limited, HttpMethod.Get, "secret/data/indexforge/api-key");
        var write = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/indexforge/api-key", """{"data":{"k":"two"}}""");
        var escalate = await Json.SendAsync(limited, HttpMethod.Post, "auth/token/create", """{"policies":["root"]}""");

        Assert.Equal(204, put.Status);
        Assert.Equal(hcl, get.Body!["data"]!["policy"]!.GetValue<string>());
        Assert.Equal(["default", "indexforge-read"], created.Body["auth"]!["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(3600, created.Body["auth"]!["lease_duration"]!.GetValue<int>());
        Assert.Equal((200, 403), (read.Status, write.Status));
        Assert.Equal(403, escalate.Status);
    }

    [Fact]
    public async Task PutPolicy_UnsupportedAttribute_Answers400()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Put, "sys/policies/acl/x",
            new JsonObject { ["policy"] = "path \"secret/*\" { capabilities = [\"read\"] allowed_parameters = {} }" }.ToJsonString());
        Assert.Equal(400, status);
        Assert.Contains("allowed_parameters", body!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRoute_RootToken_Answers404NoHandler()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Get, "kv/data/x");
        var (kvStatus, kvBody) = await Json.SendAsync(_root, HttpMethod.Get, "secret/nothing/x");
        Assert.Equal(404, status);
        Assert.Equal("no handler for route \"kv/data/x\". route entry not found.", body!["errors"]![0]!.GetValue<string>());
        Assert.Equal(404, kvStatus);
        Assert.Equal("1 error occurred:\n\t* unsupported path\n\n", kvBody!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ParentReferenceInPath_IsResolvedBeforeTheAclCheck()
    {
        // Dot segments are resolved before routing, so "indexforge/../payments" is judged as "payments".
        var token = _vault.Server.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Create | VaultCapabilities.Update));
        var limited = _vault.Raw(token);

        var (status, _) = await Json.SendAsync(limited, HttpMethod.Post, "secret/data/indexforge/%2E%2E/payments/x", """{"data":{"k":"x"}}""");
        var (listStatus, _) = await Json.SendAsync(_root, new HttpMethod("LIST"), "secret/metadata/payments");

        Assert.Equal(403, status);
        Assert.Equal(404, listStatus);
    }

    [Fact]
    public async Task MalformedJson_Answers400()
    {
        var (status, body) = await Json.SendAsync(_root, HttpMethod.Post, "secret/data/indexforge/api-key", "{not json");
        Assert.Equal(400, status);
        Assert.Equal("error parsing JSON", body!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task MountPreflight_AsTheVaultCliAsks_ReportsKvVersion2()
    {
        var token = _vault.Server.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Read));
        var limited = _vault.Raw(token);

        var (status, body) = await Json.SendAsync(limited, HttpMethod.Get, "sys/internal/ui/mounts/secret/indexforge/api-key");
        var (otherStatus, _) = await Json.SendAsync(limited, HttpMethod.Get, "sys/internal/ui/mounts/secret/payments/api-key");

        Assert.Equal(200, status);
        Assert.Equal("2", body!["data"]!["options"]!["version"]!.GetValue<string>());
        Assert.Equal("secret/", body["data"]!["path"]!.GetValue<string>());
        Assert.Equal("kv", body["data"]!["type"]!.GetValue<string>());
        Assert.Equal(403, otherStatus);
    }
}
