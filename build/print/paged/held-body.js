// Paged.js handler (runs in the browser; loaded with plan.js and layout.js wherever a page paginates): a speed-up
// that changes nothing on the pages. The page's body is a multi-column box that takes the height a column flexbox
// leaves it (styles/print.css). To find each page break Paged.js lays the page out again after almost every node
// it adds, and a flex item is laid out twice or more per pass, its columns each time: about three times the work
// of a box of known height. So while a page is being filled its body is held at the height the flexbox gives it
// (read once, with the headline block above it in place) and its flex containers are plain blocks, which puts
// every line where the flexbox puts it. A full page keeps them (given back, the flexbox laid each page out once
// more for the same lines: 0.9 s of a 73-page article); the last page gets its styles back once done, before
// anything else looks at it, for layout.js to balance its columns and measure the room under them.
class HeldBody extends Paged.Handler {
  renderNode(clone, node, layout) {
    if (this.held?.area === layout.element) return;
    const body = layout.element.querySelector('.article-body');
    const article = body?.closest('.article');
    const wrapper = article?.parentElement;
    if (!wrapper || wrapper.parentElement !== layout.element) return;
    const height = body.getBoundingClientRect().height;
    const saved = [wrapper, article, body].map((element) => [element, element.getAttribute('style')]);
    wrapper.style.display = 'flow-root';
    article.style.display = 'flow-root';
    body.style.height = `${height}px`;
    this.held = { area: layout.element, saved };
  }

  afterPageLayout(pageElement, page, breakToken) {
    // A break token: the article goes on to another page, so this one is full.
    if (breakToken) {
      this.held = undefined;
      return;
    }
    for (const [element, style] of this.held?.saved ?? []) {
      if (style === null) element.removeAttribute('style');
      else element.setAttribute('style', style);
    }
    this.held = undefined;
  }
}

Paged.registerHandlers(HeldBody);
