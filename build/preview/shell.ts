// The preview's outer page: the proofreader's side panel and the area where the paginated frames live.

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ShellOptions {
  title: string;
  stylesheetUrl: string;
  scriptUrl: string;
}

/**
 * The pages are rendered in their own frame, so neither the panel nor its stylesheet can touch their
 * layout: the frame holds exactly the print document, and the panel sits beside it.
 */
export function renderShell(options: ShellOptions): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>校样 · ${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${options.stylesheetUrl}">
<script type="module" src="${options.scriptUrl}"></script>
</head>
<body>
<aside class="panel" aria-label="校对面板">
  <header class="panel-head">
    <h1 class="panel-title" id="panel-title">${escapeHtml(options.title)}</h1>
    <p class="panel-status" id="status" role="status">连接中…</p>
  </header>
  <section class="panel-block" aria-labelledby="pages-head">
    <h2 id="pages-head">版面</h2>
    <dl class="facts">
      <dt>页数</dt><dd id="page-count">—</dd>
      <dt>容量</dt><dd id="copyfit">—</dd>
      <dt>缩放</dt><dd><select id="zoom" aria-label="缩放"><option value="fit">适合宽度</option><option value="0.5">50%</option><option value="0.75">75%</option><option value="1">100%</option></select></dd>
    </dl>
  </section>
  <section class="panel-block" aria-labelledby="source-head">
    <h2 id="source-head">原稿位置</h2>
    <p class="hint" id="source-empty">点击版面上的文字，显示它在 Markdown 原稿中的行。</p>
    <div id="source" class="source" hidden><p class="source-where" id="source-where"></p><pre class="source-line" id="source-line"></pre></div>
  </section>
  <section class="panel-block findings-block" aria-labelledby="findings-head">
    <h2 id="findings-head">检查结果 <span class="count" id="findings-count"></span></h2>
    <ol class="findings" id="findings"></ol>
  </section>
</aside>
<main class="pages-area" id="pages-area" aria-label="版面">
  <div class="render-error" id="render-error" role="alert" hidden></div>
</main>
</body>
</html>
`;
}
