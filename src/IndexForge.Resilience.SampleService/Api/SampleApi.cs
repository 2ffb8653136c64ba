using System.Text.Json;
using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.SampleService.Chaos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IndexForge.Resilience.SampleService.Api;

/// <summary>
/// The sample service's HTTP API: search/index endpoints that carry the replica's identity in
/// every response, and a control endpoint fault injectors use (chaos, state, secret version).
/// </summary>
internal static class SampleApi
{
    public const int SearchLimit = 10;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, SampleServiceHost host, SampleServiceOptions options)
    {
        if (options.Inbound is { } inbound) app.Use(next => context => inbound(context, next));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers[SampleServiceHeaders.Replica] = options.ReplicaId;
            headers[SampleServiceHeaders.Region] = options.Region;
            headers[SampleServiceHeaders.Zone] = options.Zone;
            if (options.Credentials?.CurrentVersion is { } version) headers[SampleServiceHeaders.SecretVersion] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var path = context.Request.Path;
            if (path.StartsWithSegments("/control") || path.StartsWithSegments("/healthz"))
            {
                await next(context);
                return;
            }
            if (options.Credentials is { } credentials)
            {
                var presented = context.Request.Headers[SampleServiceHeaders.ApiKey].ToString();
                if (presented.Length == 0 || !credentials.Accepts(presented))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.Response.WriteAsJsonAsync(new { error = "credential not accepted" }, Json);
                    return;
                }
            }
            var injected = await host.Chaos.ExecuteAsync(_ => new ValueTask(next(context)), context.RequestAborted);
            if (injected != 0 && !context.Response.HasStarted)
            {
                context.Response.StatusCode = injected;
                await context.Response.WriteAsJsonAsync(new { error = "injected failure", replica = options.ReplicaId }, Json);
            }
        });

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/search", (string? q) =>
        {
            var hits = host.Index.Search(q ?? "", SearchLimit);
            return Results.Json(new { query = q ?? "", replica = options.ReplicaId, hits }, Json);
        });
        app.MapPost("/documents", async (HttpContext context) =>
        {
            Document? doc;
            try { doc = await context.Request.ReadFromJsonAsync<Document>(Json); }
            catch (JsonException) { doc = null; }
            if (doc is null || string.IsNullOrWhiteSpace(doc.Id) || doc.Text is null)
                return Results.BadRequest(new { error = "body must be {\"id\": \"...\", \"text\": \"...\"}" });
            host.Index.Put(doc);
            return Results.Created($"/documents/{Uri.EscapeDataString(doc.Id)}", doc);
        });
        app.MapGet("/documents/{id}", (string id) => host.Index.Get(id) is { } d ? Results.Json(d, Json) : Results.NotFound());

        MapControl(app.MapGroup("/control"), host, options);
    }

    private static void MapControl(RouteGroupBuilder control, SampleServiceHost host, SampleServiceOptions options)
    {
        control.MapGet("/state", () => Results.Json(new
        {
            replica = options.ReplicaId,
            region = options.Region,
            zone = options.Zone,
            chaos = host.Chaos.Settings,
            documents = host.Index.Count,
        }, Json));
        control.MapPut("/chaos", async (HttpContext context) =>
        {
            ChaosSettings? settings;
            try { settings = await context.Request.ReadFromJsonAsync<ChaosSettings>(Json); }
            catch (JsonException e) { return Results.BadRequest(new { error = $"invalid JSON: {e.Message}" }); }
            if (settings is null) return Results.BadRequest(new { error = "body required" });
            var problems = new List<ValidationResult>();
            if (!Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true))
                return Results.BadRequest(new { errors = problems.Select(p => p.ErrorMessage) });
            host.Chaos.Settings = settings;
            return Results.Json(settings, Json);
        });
        control.MapDelete("/chaos", () =>
        {
            host.Chaos.Settings = ChaosSettings.None;
            return Results.NoContent();
        });
        control.MapGet("/secret", () =>
        {
            if (options.Credentials is not { } c) return Results.NotFound(new { error = "this replica does not use secrets" });
            // Versions and staleness only: the credential value never leaves the replica.
            return Results.Json(new
            {
                version = c.CurrentVersion,
                acceptedVersions = c.AcceptedVersions,
                staleSeconds = c.Staleness.TotalSeconds,
                lastError = c.LastError,
            }, Json);
        });
    }
}
