/// The site's only stylesheet (`assets/style.css`): system fonts, a ~46rem text
/// column, a sidebar that folds away behind a "Contents" toggle on narrow screens,
/// styled tables, figures, code highlighting and diverged-run flags. No external
/// requests, no web fonts, no JavaScript.
enum Stylesheet {
  static let css = """
    :root {
      --text: #1d1f21; --muted: #5c6370; --bg: #ffffff; --panel: #f6f7f9; --rule: #dde1e6;
      --link: #0b5cad; --accent: #0072b2; --warn-bg: #fff3e0; --warn: #a04000;
      --code-bg: #f4f5f7; --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
        Arial, "Noto Sans", "Liberation Sans", sans-serif;
      --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body { margin: 0; font-family: var(--font); font-size: 1.0625rem; line-height: 1.6;
      color: var(--text); background: var(--bg); }
    a { color: var(--link); text-underline-offset: 0.15em; }
    a:hover { text-decoration-thickness: 2px; }
    .nav-toggle { position: absolute; opacity: 0; pointer-events: none; }
    .topbar { display: none; }
    .layout { display: flex; align-items: flex-start; min-height: 100vh; }
    .sidebar { position: sticky; top: 0; flex: 0 0 17rem; max-height: 100vh; overflow-y: auto;
      padding: 1.5rem 1.25rem; background: var(--panel); border-right: 1px solid var(--rule);
      font-size: 0.92rem; line-height: 1.45; }
    .sidebar-title { margin: 0 0 1rem; font-weight: 650; }
    .sidebar-title a { color: var(--text); text-decoration: none; }
    .toc, .toc ol { list-style: none; margin: 0; padding: 0; }
    .toc > li { margin: 0.35rem 0; }
    .toc ol { margin: 0.3rem 0 0.5rem 0.75rem; padding-left: 0.6rem; border-left: 2px solid var(--rule); }
    .toc ol li { margin: 0.2rem 0; }
    .toc a { color: var(--text); text-decoration: none; }
    .toc a:hover { color: var(--link); text-decoration: underline; }
    .toc .current > a { font-weight: 650; color: var(--accent); }
    .content { flex: 1 1 auto; min-width: 0; padding: 2rem 2.5rem 4rem; }
    article, .pager, .index-list { max-width: 46rem; margin-left: auto; margin-right: auto; }
    h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 0.75rem; }
    h1 { font-size: 2rem; margin-top: 0.5rem; }
    h2 { font-size: 1.45rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 1.15rem; }
    h2[id], h3[id] { scroll-margin-top: 1rem; }
    p, ul, ol, dl, blockquote { margin: 0 0 1rem; }
    blockquote { margin-left: 0; padding: 0.25rem 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
    code { font-family: var(--mono); font-size: 0.88em; background: var(--code-bg);
      padding: 0.1em 0.3em; border-radius: 4px; }
    pre { overflow-x: auto; background: var(--code-bg); border: 1px solid var(--rule);
      border-radius: 6px; padding: 0.8rem 1rem; line-height: 1.45; font-size: 0.9rem; }
    pre code { background: none; padding: 0; font-size: inherit; }
    .hl-key { color: #0b5cad; }
    .hl-string { color: #2a7e19; }
    .hl-number { color: #a0522d; }
    .hl-comment { color: #7a7f87; font-style: italic; }
    .hl-keyword { color: #8e24aa; }
    .hl-directive { color: #c2185b; font-weight: 600; }
    .hl-arg { color: #1d1f21; font-weight: 600; }
    .hl-punct { color: #7a7f87; }
    img { max-width: 100%; height: auto; }
    figure { margin: 1.75rem 0; }
    figure.figure img { display: block; margin: 0 auto; border: 1px solid var(--rule); border-radius: 4px;
      background: #fff; }
    figcaption { font-size: 0.93rem; color: var(--muted); margin-top: 0.5rem; }
    figure.table figcaption { margin: 0 0 0.5rem; }
    .figure-number { font-weight: 650; color: var(--text); }
    .figure-links { white-space: nowrap; font-size: 0.85rem; }
    .table-scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
    th, td { padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left;
      vertical-align: top; }
    thead th { border-bottom: 2px solid #b9c0c8; background: var(--panel); white-space: nowrap; }
    td.num { font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
    tbody tr:nth-child(even) { background: #fafbfc; }
    tr.diverged, tr.diverged:nth-child(even) { background: var(--warn-bg); }
    .experiment { margin: 1.5rem 0; padding: 0.75rem 1rem; background: var(--panel);
      border: 1px solid var(--rule); border-left: 4px solid var(--accent); border-radius: 6px;
      font-size: 0.92rem; }
    .experiment p { margin: 0.25rem 0; }
    .experiment-title { font-weight: 650; }
    .experiment dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
    .experiment dt { color: var(--muted); font-family: var(--mono); font-size: 0.85rem; }
    .experiment dd { margin: 0; font-family: var(--mono); font-size: 0.85rem; }
    .badge { display: inline-block; font-size: 0.78rem; font-weight: 600; padding: 0.05rem 0.5rem;
      border-radius: 999px; margin-left: 0.4rem; vertical-align: 0.1em; }
    .badge.ok { background: #e3f1e8; color: #1e6b3a; }
    .badge.diverged { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0b67f; }
    .diverged-note { color: var(--warn); }
    .value { font-variant-numeric: tabular-nums; white-space: nowrap; }
    .value.diverged { color: var(--warn); }
    .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem;
      padding-top: 1rem; border-top: 1px solid var(--rule); }
    .pager a { text-decoration: none; }
    .pager .next { margin-left: auto; text-align: right; }
    .index-list { list-style: none; padding: 0; }
    .index-list li { margin: 0 0 1.25rem; }
    .index-list .chapter-title { font-size: 1.15rem; font-weight: 650; }
    .index-list p { margin: 0.25rem 0 0; color: var(--muted); }
    .footnotes { font-size: 0.9rem; color: var(--muted); border-top: 1px solid var(--rule); margin-top: 2.5rem; }
    @media (max-width: 52rem) {
      .topbar { display: flex; justify-content: space-between; align-items: center; gap: 1rem;
        position: sticky; top: 0; z-index: 2; padding: 0.6rem 1rem; background: var(--panel);
        border-bottom: 1px solid var(--rule); }
      .topbar .site-title { color: var(--text); font-weight: 650; text-decoration: none; }
      .nav-button { cursor: pointer; padding: 0.2rem 0.7rem; border: 1px solid var(--rule);
        border-radius: 6px; background: var(--bg); font-size: 0.9rem; white-space: nowrap; }
      .layout { display: block; }
      .sidebar { display: none; position: static; max-height: none; border-right: none;
        border-bottom: 1px solid var(--rule); }
      .sidebar .sidebar-title { display: none; }
      .nav-toggle:checked ~ .layout .sidebar { display: block; }
      .nav-toggle:focus-visible ~ .topbar .nav-button { outline: 2px solid var(--accent); }
      .content { padding: 1.25rem 1rem 3rem; }
      h1 { font-size: 1.6rem; }
    }
    @media print {
      .sidebar, .topbar, .pager, .figure-links { display: none; }
      .content { padding: 0; }
    }

    """
}
