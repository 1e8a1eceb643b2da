// Runs in the print page before Paged.js: keeps Paged.js from starting by itself, keeps Chromium from laying
// out the unpaginated article (the #banmian-hold style hides the body until then), and starts the pagination
// as soon as the document is parsed. The PDF stage awaits window.banmianPagination: the page count, or the error.
window.PagedConfig = { auto: false };

// Paged.js schedules each step on an animation frame or an idle callback. A page gets neither while it is
// hidden (a tab behind another in its window: Paged.js would stall), and each frame waited for is time lost.
// A message the page posts to itself is the next task, hidden or not, so Paged.js gets that instead.
const channel = new MessageChannel();
const queued = [];
channel.port1.onmessage = () => queued.shift()();
const nextTask = (callback) => {
  queued.push(callback);
  channel.port2.postMessage(null);
  return queued.length;
};
window.requestAnimationFrame = (callback) => nextTask(() => callback(performance.now()));
window.requestIdleCallback = (callback) => nextTask(() => callback({ didTimeout: false, timeRemaining: () => 50 }));

window.banmianPagination = new Promise((resolve, reject) => {
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('banmian-hold')?.remove();
    window.PagedPolyfill.preview().then((flow) => resolve(flow.total), (error) => reject(error instanceof Error ? error : new Error(String(error))));
  }, { once: true });
});
