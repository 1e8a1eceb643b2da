// The preview page's script: paginates each new rendering in a hidden frame, swaps it in at the reader's page, and drives the panel.

const area = document.getElementById('pages-area');
const byId = (id) => document.getElementById(id);
const SEVERITY_LABELS = { error: '错误', warning: '警告' };

/** The frame in view, and the one being paginated behind it. */
let shown;
let loading;
/** The server's last PreviewState, the source line last selected, and the socket it comes through. */
let state;
let selectedLine;
let socket;
/** preview.css, put into each frame once Paged.js is done, so it styles the desk around the pages but never their layout. */
const frameCss = fetch('/__banmian/preview.css').then((response) => response.text());

function setStatus(text, kind = '') {
  const status = byId('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

function connect() {
  socket = new WebSocket(`ws://${location.host}/__banmian/events`);
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'state') applyState(message.state);
  });
  socket.addEventListener('close', () => {
    setStatus('与预览服务断开，重连中…', 'error');
    window.setTimeout(connect, 1000);
  });
}

function applyState(next) {
  state = next;
  if (state.article) {
    byId('panel-title').textContent = state.article.title;
    document.title = `校样 · ${state.article.title}`;
  }
  showError(state.error);
  renderFindings(state.findings);
  const wanted = String(state.version);
  if (state.version && wanted !== shown?.dataset.version && wanted !== loading?.dataset.version) load(wanted);
  else if (!state.error && !loading) setStatus('已是最新', 'ok');
}

function showError(error) {
  const box = byId('render-error');
  box.hidden = !error;
  if (!error) return;
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : '';
  box.replaceChildren(
    Object.assign(document.createElement('strong'), { textContent: shown ? '原稿有错误，版面仍是上一次的结果' : '原稿有错误，还没有版面' }),
    Object.assign(document.createElement('p'), { className: 'error-message', textContent: `${where ? `${where}: ` : ''}${error.message}` }),
    ...(error.hint ? [Object.assign(document.createElement('p'), { className: 'error-hint', textContent: error.hint })] : []),
  );
  setStatus('原稿有错误', 'error');
}

function load(version) {
  loading?.remove();
  const frame = document.createElement('iframe');
  frame.className = 'pages-frame is-loading';
  frame.title = '版面';
  frame.dataset.version = version;
  frame.dataset.requested = String(performance.now());
  frame.src = `/__banmian/document.html?v=${version}`;
  loading = frame;
  area.append(frame);
  fit(frame, shown ? Number(shown.dataset.scale) : 1);
  setStatus('排版中…', 'busy');
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !event.data?.banmian || event.source !== loading?.contentWindow) return;
  if (event.data.banmian === 'failed') {
    showError({ message: `Paged.js 排版出错：${event.data.message}` });
    return;
  }
  swapIn(loading, event.data.pages, event.data.pagedMs);
});

async function swapIn(frame, pageCount, pagedMs) {
  const doc = frame.contentDocument;
  const style = doc.createElement('style');
  style.textContent = await frameCss;
  doc.head.append(style);
  doc.documentElement.classList.add('banmian-frame');
  if (frame !== loading) return;
  loading = undefined;
  fit(frame, zoomFor(frame));
  // Same page, same spot on it: the reader keeps their place through the re-render.
  if (shown) restorePlace(frame, placeOf(shown));
  frame.classList.replace('is-loading', 'is-shown');
  shown?.remove();
  shown = frame;
  doc.addEventListener('click', onPageClick);
  document.body.dataset.version = frame.dataset.version;
  // The server starts the check now that the pages are on screen.
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'shown', version: Number(frame.dataset.version) }));
  frame.dataset.pages = String(pageCount);
  byId('page-count').textContent = `${pageCount} 版`;
  showCopyfit();
  if (selectedLine) highlightLine(selectedLine, false);
  if (!state.error) setStatus(`已更新（载入并排版 ${Math.round(performance.now() - Number(frame.dataset.requested))} ms，其中 Paged.js ${Math.round(pagedMs)} ms）`, 'ok');
}

function pagesOf(frame) {
  return [...frame.contentDocument.querySelectorAll('.pagedjs_page')];
}

/** Which page is at the top of the view, how far down it, and the horizontal scroll. */
function placeOf(frame) {
  const win = frame.contentWindow;
  const pages = pagesOf(frame);
  for (let index = pages.length - 1; index >= 0; index--) {
    const box = pages[index].getBoundingClientRect();
    if (box.top <= 1 || index === 0) return { page: index, fraction: -box.top / box.height, x: win.scrollX };
  }
  return { page: 0, fraction: 0, x: 0 };
}

function restorePlace(frame, place) {
  const pages = pagesOf(frame);
  const page = pages[Math.min(place.page, pages.length - 1)];
  if (!page) return;
  const win = frame.contentWindow;
  const box = page.getBoundingClientRect();
  win.scrollTo(place.x, box.top + win.scrollY + place.fraction * box.height);
}

/** The zoom in the panel: a fixed scale, or the scale at which the widest page fits the area. */
function zoomFor(frame) {
  const choice = byId('zoom').value;
  if (choice !== 'fit') return Number(choice);
  const widest = Math.max(...pagesOf(frame).map((page) => page.getBoundingClientRect().width), 1);
  return Math.min(1, (area.clientWidth - 24) / (widest + 48));
}

/** Scales the frame as a whole: the transform is outside the frame's document, so pagination inside never sees it. */
function fit(frame, scale) {
  frame.dataset.scale = String(scale);
  frame.style.width = `${area.clientWidth / scale}px`;
  frame.style.height = `${area.clientHeight / scale}px`;
  frame.style.transform = `scale(${scale})`;
}

function refit() {
  if (!shown) return;
  const place = placeOf(shown);
  fit(shown, zoomFor(shown));
  restorePlace(shown, place);
}
byId('zoom').addEventListener('change', refit);
window.addEventListener('resize', refit);

/** Pages against the front matter's `pages` target; the check's copyfit finding, when it has one, says by how many lines. */
function showCopyfit() {
  const pageCount = Number(shown?.dataset.pages);
  const target = state.article?.pagesTarget;
  const copyfit = byId('copyfit');
  if (!target || !pageCount) {
    copyfit.textContent = target ? `目标 ${target} 版` : '未设目标（front matter 的 pages）';
    copyfit.dataset.kind = '';
    return;
  }
  const measured = state.findings.items.find((finding) => finding.rule === 'copyfit');
  const over = pageCount - target;
  const verdict = over > 0 ? `超版：${pageCount} 版，目标 ${target} 版` : over < 0 ? `不足：${pageCount} 版，目标 ${target} 版` : `${target} 版，页数合适`;
  copyfit.textContent = measured ? `${verdict}；${measured.message}` : verdict;
  copyfit.dataset.kind = over === 0 && !measured ? 'ok' : 'error';
}

function renderFindings(findings) {
  showCopyfit();
  const list = byId('findings');
  byId('findings-count').textContent = findings.status === 'done' ? String(findings.items.length) : '';
  if (findings.status !== 'done') {
    list.replaceChildren(Object.assign(document.createElement('li'), {
      className: 'hint',
      textContent: findings.status === 'failed' ? `检查未能完成：${findings.message ?? ''}` : state.version ? '检查中…' : '原稿修好后再检查。',
    }));
    return;
  }
  if (!findings.items.length) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'hint', textContent: '没有发现问题。' }));
    return;
  }
  list.replaceChildren(...findings.items.map((finding) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'finding';
    button.dataset.severity = finding.severity;
    button.dataset.line = String(finding.line);
    const where = `${finding.file}:${finding.line}${finding.column ? `:${finding.column}` : ''}`;
    button.append(
      Object.assign(document.createElement('span'), { className: 'finding-where', textContent: `${SEVERITY_LABELS[finding.severity] ?? finding.severity} ${where}` }),
      Object.assign(document.createElement('span'), { className: 'finding-message', textContent: finding.message }),
      ...(finding.fix ? [Object.assign(document.createElement('span'), { className: 'finding-fix', textContent: `建议改为：${finding.fix.text || '（删去）'}` })] : []),
      Object.assign(document.createElement('span'), { className: 'finding-rule', textContent: finding.rule }),
    );
    button.addEventListener('click', () => {
      showSource(finding.line);
      highlightLine(finding.line, true);
    });
    const item = document.createElement('li');
    item.append(button);
    return item;
  }));
}

const HEADER_FIELDS = { kicker: 'kicker', title: 'title', subtitle: 'subtitle', byline: 'byline' };

function onPageClick(event) {
  const lines = state.article?.lines ?? [];
  // The headline block comes from the front matter: its fields have no data-source-line, so find their lines.
  const header = event.target.closest?.('.article-header > *');
  const field = header && HEADER_FIELDS[[...header.classList].find((name) => HEADER_FIELDS[name])];
  if (field) {
    const line = lines.findIndex((text) => text.startsWith(`${field}:`)) + 1;
    if (line) showSource(line);
    return;
  }
  const block = event.target.closest?.('[data-source-line]');
  if (!block) return;
  let line = Number(block.dataset.sourceLine);
  // A photo's caption and credit are the lines after its image line: point at the one clicked.
  const part = event.target.closest('.caption, .credit');
  if (part && block.contains(part)) {
    // Word joiners and spaces the typesetting adds are not in the source.
    const bare = (text) => text.replace(/[\s\u2060\u200b\ufeff]/g, '');
    const text = bare(part.textContent);
    const found = lines.findIndex((source, index) => index >= line - 1 && index <= line + 2 && bare(source).includes(text));
    if (found >= 0) line = found + 1;
  }
  showSource(line);
  highlightLine(Number(block.dataset.sourceLine), false);
}

function showSource(line) {
  selectedLine = line;
  byId('source-empty').hidden = true;
  byId('source').hidden = false;
  byId('source-where').textContent = `${state.article?.file ?? 'article.md'}:${line}`;
  byId('source-line').textContent = state.article?.lines[line - 1] ?? '';
}

/**
 * Marks every fragment of the block that holds `line` (Paged.js splits a paragraph across columns
 * and pages, each piece keeping its data-source-line); front-matter lines point at the header.
 */
function highlightLine(line, scroll) {
  if (!shown) return;
  const doc = shown.contentDocument;
  for (const marked of doc.querySelectorAll('.banmian-highlight')) marked.classList.remove('banmian-highlight');
  const lines = [...new Set([...doc.querySelectorAll('[data-source-line]')].map((element) => Number(element.dataset.sourceLine)))];
  const block = Math.max(...lines.filter((candidate) => candidate <= line));
  const targets = Number.isFinite(block)
    ? [...doc.querySelectorAll(`[data-source-line="${block}"]`)]
    : [...doc.querySelectorAll('.article-header')];
  for (const target of targets) target.classList.add('banmian-highlight');
  if (scroll && targets[0]) {
    const win = shown.contentWindow;
    const box = targets[0].getBoundingClientRect();
    win.scrollTo(win.scrollX + box.left - win.innerWidth / 3, win.scrollY + box.top - win.innerHeight / 3);
  }
}

connect();
