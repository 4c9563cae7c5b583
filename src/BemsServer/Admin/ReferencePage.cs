namespace BemsServer.Admin;

/// <summary>
/// A readable API reference at <c>/admin/</c>: a self-contained page (no CDN, it is served on loopback) that renders the
/// OpenAPI document as a table of routes.
/// </summary>
internal static class ReferencePage
{
    /// <summary>
    /// The page at <c>/admin/</c>; <c>/admin</c> is redirected there, since the page fetches its document by a relative URL
    /// (relative, so that it works behind a reverse proxy's path prefix too).
    /// </summary>
    public static IResult Render(HttpRequest request) => request.Path.Value?.EndsWith('/') == true
        ? TypedResults.Content(Html, "text/html; charset=utf-8")
        : TypedResults.Redirect("admin/");

    private const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>BemsServer admin API</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
          table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }
          code { font-size: .95em; } .verb { font-weight: bold; width: 5rem; }
        </style></head>
        <body>
        <h1>BemsServer admin API</h1>
        <p>Every tenant route is served at <code>/admin/…</code> (default tenant) and at <code>/admin/t/{tenant}/…</code>.
           The machine-readable document is <a href="openapi/v1.json"><code>/admin/openapi/v1.json</code></a>;
           curl examples are in <code>docs/admin-api.md</code>.</p>
        <table><thead><tr><th>verb</th><th>path</th><th>what it does</th></tr></thead><tbody id="routes"></tbody></table>
        <script>
          fetch('openapi/v1.json', { headers: { 'Authorization': sessionStorage.getItem('adminAuth') || '' } })
            .then(r => r.json()).then(doc => {
              const rows = [];
              for (const [path, item] of Object.entries(doc.paths)) {
                if (path.includes('/t/{tenant}/')) continue;
                for (const [verb, op] of Object.entries(item)) {
                  if (typeof op !== 'object' || !op.responses) continue;
                  rows.push(`<tr><td class="verb">${verb.toUpperCase()}</td><td><code>${path}</code></td><td>${op.summary || ''}</td></tr>`);
                }
              }
              document.getElementById('routes').innerHTML = rows.join('');
            });
        </script>
        </body></html>
        """;
}
