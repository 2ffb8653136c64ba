using System.Collections.Concurrent;

namespace IndexForge.Resilience.SampleService;

/// <summary>A small in-memory inverted index: what IndexForge's search API serves.</summary>
public sealed class DocumentIndex
{
    private readonly ConcurrentDictionary<string, Document> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _postings = new(StringComparer.Ordinal);

    public static DocumentIndex WithSampleDocuments()
    {
        var index = new DocumentIndex();
        index.Put(new Document("1", "Vault keeps IndexForge secrets and rotates them every thirty days"));
        index.Put(new Document("2", "Istio enforces strict mTLS between IndexForge services"));
        index.Put(new Document("3", "Outlier detection ejects a failing replica from the load balancing pool"));
        index.Put(new Document("4", "Locality failover moves traffic from us-west to us-east"));
        index.Put(new Document("5", "The search API indexes documents and answers queries"));
        return index;
    }

    public int Count => _documents.Count;

    public void Put(Document document)
    {
        if (_documents.TryGetValue(document.Id, out var old))
        {
            foreach (var term in Terms(old.Text)) if (_postings.TryGetValue(term, out var ids)) ids.TryRemove(old.Id, out _);
        }
        _documents[document.Id] = document;
        foreach (var term in Terms(document.Text)) _postings.GetOrAdd(term, _ => new(StringComparer.Ordinal))[document.Id] = 0;
    }

    public Document? Get(string id) => _documents.TryGetValue(id, out var d) ? d : null;

    /// <summary>Documents containing every term of the query, best (most term hits) first.</summary>
    public IReadOnlyList<Document> Search(string query, int limit)
    {
        var terms = Terms(query).Distinct().ToList();
        if (terms.Count == 0) return [];
        IEnumerable<string>? ids = null;
        foreach (var term in terms)
        {
            var posting = _postings.TryGetValue(term, out var p) ? p.Keys : [];
            ids = ids is null ? posting : ids.Intersect(posting);
        }
        return (ids ?? []).Select(id => _documents.TryGetValue(id, out var d) ? d : null).OfType<Document>()
            .OrderBy(d => d.Id, StringComparer.Ordinal).Take(limit).ToList();
    }

    private static IEnumerable<string> Terms(string text) =>
        text.Split([' ', '\t', '\n', ',', '.', ';', ':', '!', '?', '"', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant());
}

public sealed record Document(string Id, string Text);
