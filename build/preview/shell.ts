// The preview's outer page: the proofreader's side panel and the area where the paginated frames live.
import { escapeHtml } from '../document/html.ts';

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
    </dl>
    <div class="controls">
      <label class="control">缩放 <select id="zoom" title="缩放（+ 放大，- 缩小，0 为 100%，W 适合宽度，F 适合整页）">
        <option value="fit-width">适合宽度</option><option value="fit-page">适合整页</option>
        <option value="0.5">50%</option><option value="0.75">75%</option><option value="1">100%</option><option value="1.25">125%</option>
        <option value="1.5">150%</option><option value="2">200%</option><option value="2.5">250%</option><option value="3">300%</option>
      </select></label>
      <span class="control-group" role="group" aria-label="缩放按钮"><button type="button" id="zoom-out" title="缩小（-）">−</button><button type="button" id="zoom-in" title="放大（+）">+</button></span>
      <label class="control"><input type="checkbox" id="spread"> 双页</label>
    </div>
    <div class="controls">
      <button type="button" id="page-prev" title="上一版（PageUp）">‹</button>
      <label class="control">第 <input type="number" id="page-number" min="1" value="1" inputmode="numeric" aria-label="跳到第几版"> 版</label>
      <span>/ <span id="page-total">—</span> 版</span>
      <button type="button" id="page-next" title="下一版（PageDown）">›</button>
    </div>
    <p class="controls"><a class="button" id="proof" href="/__banmian/proof.pdf" download title="用预览的同一个浏览器排出当前原稿的 PDF（Ctrl+P）">下载校样 PDF</a></p>
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
<nav class="thumbs" id="thumbs" aria-label="缩略图"></nav>
<main class="pages-area" id="pages-area" aria-label="版面">
  <div class="render-error" id="render-error" role="alert" hidden></div>
</main>
<p class="print-note">请用校对面板上的“下载校样 PDF”打印校样：它与 banmian build 排出的 PDF 相同。</p>
</body>
</html>
`;
}
