using System.Text.Json.Nodes;

namespace IndexForge.Resilience.Vault.Tests.Support;

public static class Json
{
    public static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static HashSet<string> Keys(JsonNode? node) => node is JsonObject o ? o.Select(p => p.Key).ToHashSet() : [];
}
