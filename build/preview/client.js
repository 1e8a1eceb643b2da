// The preview page's script: paginates each new rendering in a hidden frame, swaps it in at the reader's page, and
// drives the panel: zoom, single or spread view, page indicator and jumps, thumbnails, source lines and findings.
// Status line, banner and findings are drawn from one place (`updatePanel`), so they always tell the same story.

const area = document.getElementById('pages-area');
const byId = (id) => document.getElementById(id);
const SEVERITY_LABELS = { error: '错误', warning: '警告' };
const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3];
/** Space around the pages inside the frame (preview.css's frame rules), in CSS pixels of the page. */
const GAP = 24;

/** The frame in view, and the one being paginated behind it. */
let shown;
let loading;
/** The server's last PreviewState, the source line last selected, and whether its socket is open. */
let state;
let selectedLine;
let connected = false;
/** The frame's own failure (Paged.js threw), for the version being loaded. */
let frameFailure;
/** The last repaint's timing, for the status line. */
let repaint;
/** The reader's view, kept across sessions. */
const view = {
  zoom: localStorage.getItem('banmian.zoom') ?? '1',
  spread: localStorage.getItem('banmian.spread') === '1',
};
/** preview.css, put into each frame once Paged.js is done, so it styles the desk around the pages but never their layout. */
const frameCss = fetch('/__banmian/preview.css').then((response) => response.text());

function connect() {
  const socket = new WebSocket(`ws://${location.host}/__banmian/events`);
  socket.addEventListener('open', () => {
    connected = true;
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'state') applyState(message.state);
  });
  socket.addEventListener('close', () => {
    connected = false;
    updatePanel();
    window.setTimeout(connect, 1000);
  });
}

function applyState(next) {
  const previousThumbs = state?.thumbnails;
  state = next;
  if (state.article) {
    byId('panel-title').textContent = state.article.title;
    document.title = `校样 · ${state.article.title}`;
  }
  const wanted = String(state.version);
  if (state.version && wanted !== shown?.dataset.version && wanted !== loading?.dataset.version) load(wanted);
  if (state.thumbnails?.version !== previousThumbs?.version) drawThumbnails();
  updatePanel();
}

/** Status line, banner, copyfit, proof link and findings, from the server's state and the frames. */
function updatePanel() {
  if (!state) return;
  const error = state.error ?? frameFailure;
  const status = !connected ? ['与预览服务断开，重连中…', 'error']
    : error ? ['原稿有错误', 'error']
    : loading || !shown ? ['排版中…', 'busy']
    : state.findings.status === 'pending' ? [`已更新（${repaint}），检查中…`, 'ok']
    : [`已更新（${repaint}）`, 'ok'];
  byId('status').textContent = status[0];
  byId('status').dataset.kind = status[1];
  showError(error);
  const proof = byId('proof');
  proof.setAttribute('aria-disabled', String(Boolean(state.error) || !state.version));
  proof.title = state.error ? '原稿有错误，修好后才能下载校样' : '用预览的同一个浏览器排出当前原稿的 PDF（Ctrl+P）';
  showCopyfit();
  renderFindings();
}

function showError(error) {
  const box = byId('render-error');
  box.hidden = !error;
  if (!error) return;
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : '';
  box.replaceChildren(
    Object.assign(document.createElement('strong'), { textContent: shown ? '原稿有错误，下面仍是上一次排好的版面' : '原稿有错误，还没有版面' }),
    Object.assign(document.createElement('p'), { className: 'error-message', textContent: `${where ? `${where}: ` : ''}${error.message}` }),
    ...(error.hint ? [Object.assign(document.createElement('p'), { className: 'error-hint', textContent: error.hint })] : []),
  );
}

function load(version) {
  loading?.remove();
  frameFailure = undefined;
  const frame = document.createElement('iframe');
  frame.className = 'pages-frame is-loading';
  frame.title = '版面';
  frame.dataset.version = version;
  frame.dataset.requested = String(performance.now());
  frame.src = `/__banmian/document.html?v=${version}`;
  loading = frame;
  area.append(frame);
  fit(frame, shown ? Number(shown.dataset.scale) : 1);
}

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !event.data?.banmian || event.source !== loading?.contentWindow) return;
  if (event.data.banmian === 'failed') {
    frameFailure = { message: `Paged.js 排版出错：${event.data.message}` };
    updatePanel();
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
  doc.documentElement.classList.toggle('banmian-spread', view.spread);
  if (frame !== loading) return;
  loading = undefined;
  const place = shown && placeOf(shown);
  fit(frame, zoomFor(frame));
  // Same page, same spot on it: the reader keeps their place through the re-render.
  if (place) restorePlace(frame, place);
  frame.classList.replace('is-loading', 'is-shown');
  shown?.remove();
  shown = frame;
  doc.addEventListener('click', onPageClick);
  doc.addEventListener('keydown', onKey);
  frame.contentWindow.addEventListener('scroll', showPageInView, { passive: true });
  document.body.dataset.version = frame.dataset.version;
  frame.dataset.pages = String(pageCount);
  byId('page-count').textContent = `${pageCount} 版`;
  byId('page-total').textContent = String(pageCount);
  byId('page-number').max = String(pageCount);
  repaint = `载入并排版 ${Math.round(performance.now() - Number(frame.dataset.requested))} ms，其中 Paged.js ${Math.round(pagedMs)} ms`;
  drawThumbnails();
  showPageInView();
  if (selectedLine) highlightLine(selectedLine, false);
  updatePanel();
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

/** The page the reader is on: the first page of the lowest row whose top is in the upper third of the view. */
function currentPage(frame) {
  const pages = pagesOf(frame);
  const line = frame.contentWindow.innerHeight / 3;
  const tops = pages.map((page) => page.getBoundingClientRect().top);
  const top = Math.max(...tops.filter((value) => value <= line), tops[0]);
  return tops.indexOf(top) + 1;
}

function showPageInView() {
  if (!shown) return;
  const page = currentPage(shown);
  byId('page-number').value = String(page);
  document.body.dataset.page = String(page);
  for (const thumb of byId('thumbs').children) thumb.classList.toggle('is-current', Number(thumb.dataset.page) === page);
  byId('thumbs').querySelector('.is-current')?.scrollIntoView({ block: 'nearest' });
}

/** Brings page `number` (from 1) to the top of the view; across, it is centred when it fits, else its left edge shows. */
function goToPage(number) {
  if (!shown) return;
  const pages = pagesOf(shown);
  const page = pages[Math.min(Math.max(number, 1), pages.length) - 1];
  const win = shown.contentWindow;
  const box = page.getBoundingClientRect();
  const x = box.width <= win.innerWidth ? win.scrollX + box.left + box.width / 2 - win.innerWidth / 2 : win.scrollX + box.left - GAP / 2;
  win.scrollTo(Math.max(0, x), win.scrollY + box.top - GAP / 2);
  showPageInView();
}

/** Pages per row: two in the spread view. */
const step = () => (view.spread ? 2 : 1);

/** The zoom chosen: a fixed scale, or the scale at which the widest row (fit width) or a whole row (fit page) fits the area. */
function zoomFor(frame) {
  if (!view.zoom.startsWith('fit')) return Number(view.zoom);
  const pages = pagesOf(frame);
  const width = Math.max(...pages.map((page) => page.offsetWidth), 1) * step() + GAP * (step() + 1);
  const height = Math.max(...pages.map((page) => page.offsetHeight), 1) + GAP * 2;
  const across = area.clientWidth / width;
  return Math.min(3, view.zoom === 'fit-page' ? Math.min(across, area.clientHeight / height) : across);
}

/** Scales the frame as a whole: the transform is outside the frame's document, so pagination inside never sees it. */
function fit(frame, scale) {
  frame.dataset.scale = String(scale);
  frame.style.width = `${area.clientWidth / scale}px`;
  frame.style.height = `${area.clientHeight / scale}px`;
  frame.style.transform = `scale(${scale})`;
  if (frame === shown || !shown) document.body.dataset.scale = String(scale);
}

function refit() {
  byId('zoom').value = view.zoom;
  byId('spread').checked = view.spread;
  if (!shown) return;
  const page = currentPage(shown);
  shown.contentDocument.documentElement.classList.toggle('banmian-spread', view.spread);
  fit(shown, zoomFor(shown));
  goToPage(page);
}

function setView(change) {
  Object.assign(view, change);
  localStorage.setItem('banmian.zoom', view.zoom);
  localStorage.setItem('banmian.spread', view.spread ? '1' : '0');
  refit();
}

/** The next zoom step up or down from the scale in use (a fit counts as its current scale). */
function zoomStep(direction) {
  const scale = Number(shown?.dataset.scale ?? 1);
  const next = direction > 0 ? ZOOM_STEPS.find((value) => value > scale + 0.001) : [...ZOOM_STEPS].reverse().find((value) => value < scale - 0.001);
  if (next) setView({ zoom: String(next) });
}

byId('zoom').addEventListener('change', (event) => setView({ zoom: event.target.value }));
byId('zoom-in').addEventListener('click', () => zoomStep(1));
byId('zoom-out').addEventListener('click', () => zoomStep(-1));
byId('spread').addEventListener('change', (event) => setView({ spread: event.target.checked }));
byId('page-prev').addEventListener('click', () => shown && goToPage(currentPage(shown) - step()));
byId('page-next').addEventListener('click', () => shown && goToPage(currentPage(shown) + step()));
byId('page-number').addEventListener('change', (event) => goToPage(Number(event.target.value)));
byId('proof').addEventListener('click', (event) => {
  if (event.currentTarget.getAttribute('aria-disabled') === 'true') event.preventDefault();
});
window.addEventListener('resize', refit);
document.addEventListener('keydown', onKey);

/** Keys, in the panel and in the pages alike (never while typing in a field): zoom, fit, pages, and Ctrl+P for the proof. */
function onKey(event) {
  if ((event.ctrlKey || event.metaKey) && event.key === 'p') {
    event.preventDefault();
    byId('proof').click();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName ?? '')) return;
  const page = shown && currentPage(shown);
  const actions = {
    '+': () => zoomStep(1),
    '=': () => zoomStep(1),
    '-': () => zoomStep(-1),
    0: () => setView({ zoom: '1' }),
    w: () => setView({ zoom: 'fit-width' }),
    f: () => setView({ zoom: 'fit-page' }),
    s: () => setView({ spread: !view.spread }),
    PageDown: () => goToPage(page + step()),
    PageUp: () => goToPage(page - step()),
    Home: () => goToPage(1),
    End: () => goToPage(Number.MAX_SAFE_INTEGER),
  };
  const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (!action || !shown) return;
  event.preventDefault();
  action();
}

/** One tile per page: the server's picture of it once made, its number always; a click goes there. */
function drawThumbnails() {
  const strip = byId('thumbs');
  const count = Number(shown?.dataset.pages ?? 0);
  const pictures = state?.thumbnails?.version === Number(shown?.dataset.version) ? state.thumbnails : undefined;
  const box = shown && pagesOf(shown)[0];
  strip.replaceChildren(...Array.from({ length: count }, (_, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'thumb';
    button.dataset.page = String(index + 1);
    button.title = `第 ${index + 1} 版`;
    if (box) button.style.aspectRatio = `${box.offsetWidth} / ${box.offsetHeight}`;
    if (pictures) button.append(Object.assign(document.createElement('img'), { src: `/__banmian/thumbnail/${pictures.version}/${index + 1}.jpg`, alt: '' }));
    button.append(Object.assign(document.createElement('span'), { className: 'thumb-number', textContent: String(index + 1) }));
    button.addEventListener('click', () => goToPage(index + 1));
    return button;
  }));
  markOverset();
  showPageInView();
}

/** Pages against the front matter's `pages` target; the check's copyfit finding, when it has one, says by how much. */
function showCopyfit() {
  const pageCount = Number(shown?.dataset.pages);
  const target = state.article?.pagesTarget;
  const copyfit = byId('copyfit');
  const measured = state.findings.status === 'done' && !state.error ? state.findings.items.find((finding) => finding.rule === 'copyfit') : undefined;
  markOverset();
  if (!target || !pageCount) {
    copyfit.textContent = target ? `目标 ${target} 版` : '未设目标（front matter 的 pages）';
    copyfit.dataset.kind = '';
    return;
  }
  const over = pageCount - target;
  const verdict = over > 0 ? `超版：${pageCount} 版，目标 ${target} 版` : over < 0 ? `不足：${pageCount} 版，目标 ${target} 版` : `${target} 版，页数合适`;
  // The finding's amount (its message up to the colon), the finding itself is in the list below.
  copyfit.textContent = measured ? `${verdict}；${measured.message.split('：')[0]}` : verdict;
  copyfit.dataset.kind = over === 0 && !measured ? 'ok' : 'error';
}

/** Pages past the `pages` target are marked on the desk and in the thumbnails: the overset text starts at the top of the first one. */
function markOverset() {
  const target = state?.article?.pagesTarget;
  if (!shown) return;
  pagesOf(shown).forEach((page, index) => {
    const over = Boolean(target) && index >= target;
    page.classList.toggle('banmian-overset', over);
    if (over) page.dataset.banmianOverset = `超版：目标 ${target} 版，以下排到了第 ${index + 1} 版`;
  });
  for (const thumb of byId('thumbs').children) thumb.classList.toggle('is-overset', Boolean(target) && Number(thumb.dataset.page) > target);
}

function findingButton(finding, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'finding';
  button.dataset.severity = finding.severity;
  if (finding.line) button.dataset.line = String(finding.line);
  const where = finding.file ? `${finding.file}${finding.line ? `:${finding.line}${finding.column ? `:${finding.column}` : ''}` : ''}` : '';
  button.append(
    Object.assign(document.createElement('span'), { className: 'finding-where', textContent: `${SEVERITY_LABELS[finding.severity] ?? finding.severity} ${where}` }),
    Object.assign(document.createElement('span'), { className: 'finding-message', textContent: finding.message }),
    ...(finding.fix ? [Object.assign(document.createElement('span'), { className: 'finding-fix', textContent: `建议改为：${finding.fix.text || '（删去）'}` })] : []),
    ...(finding.hint ? [Object.assign(document.createElement('span'), { className: 'finding-fix', textContent: finding.hint })] : []),
    ...(finding.rule ? [Object.assign(document.createElement('span'), { className: 'finding-rule', textContent: finding.rule })] : []),
  );
  button.addEventListener('click', onClick);
  const item = document.createElement('li');
  item.append(button);
  return item;
}

const hint = (text) => Object.assign(document.createElement('li'), { className: 'hint', textContent: text });

/** The findings of the version on screen; while the manuscript is broken, its error, which is why nothing else is checked. */
function renderFindings() {
  const list = byId('findings');
  const { findings } = state;
  const count = byId('findings-count');
  list.dataset.status = state.error ? 'blocked' : findings.status;
  if (state.error) {
    count.textContent = '1';
    list.replaceChildren(
      findingButton({ ...state.error, severity: 'error' }, () => state.error?.line && showSource(state.error.line)),
      hint('原稿修好后再检查其余问题。'),
    );
    return;
  }
  count.textContent = findings.status === 'done' ? String(findings.items.length) : '';
  if (findings.status !== 'done') {
    list.replaceChildren(hint(findings.status === 'failed' ? `检查未能完成：${findings.message ?? ''}` : '检查中…'));
    return;
  }
  if (!findings.items.length) {
    list.replaceChildren(hint('没有发现问题。'));
    return;
  }
  list.replaceChildren(...findings.items.map((finding) => findingButton(finding, () => {
    showSource(finding.line);
    highlightLine(finding.line, true);
  })));
}

const HEADER_FIELDS = ['kicker', 'title', 'subtitle', 'byline'];

function onPageClick(event) {
  const lines = state.article?.lines ?? [];
  // The headline block comes from the front matter: its fields have no data-source-line, so find their lines.
  const header = event.target.closest?.('.article-header > *');
  const field = header && HEADER_FIELDS.find((name) => header.classList.contains(name));
  if (field) {
    const line = lines.findIndex((text) => text.startsWith(`${field}:`)) + 1;
    if (line) showSource(line);
    mark([header]);
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

/** One highlight at a time: whatever was marked before is unmarked first. */
function mark(targets) {
  if (!shown) return;
  for (const marked of shown.contentDocument.querySelectorAll('.banmian-highlight')) marked.classList.remove('banmian-highlight');
  for (const target of targets) target.classList.add('banmian-highlight');
}

/**
 * Marks every fragment of the block that holds `line` (Paged.js splits a paragraph across columns
 * and pages, each piece keeping its data-source-line); front-matter lines point at the header.
 */
function highlightLine(line, scroll) {
  if (!shown) return;
  const doc = shown.contentDocument;
  const lines = [...new Set([...doc.querySelectorAll('[data-source-line]')].map((element) => Number(element.dataset.sourceLine)))];
  const block = Math.max(...lines.filter((candidate) => candidate <= line));
  const targets = Number.isFinite(block)
    ? [...doc.querySelectorAll(`[data-source-line="${block}"]`)]
    : [...doc.querySelectorAll('.article-header')];
  mark(targets);
  if (scroll && targets[0]) {
    const win = shown.contentWindow;
    const box = targets[0].getBoundingClientRect();
    win.scrollTo(win.scrollX + box.left - win.innerWidth / 3, win.scrollY + box.top - win.innerHeight / 3);
  }
}

refit();
connect();
