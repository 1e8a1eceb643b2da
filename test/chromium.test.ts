// banmian starts Chromium itself, before puppeteer is loaded (build/print/chromium.ts), with the flags puppeteer's
// own launch would pass: held equal here, so that an upgrade of puppeteer that changes them is noticed.
import { describe, expect, it } from 'vitest';
import puppeteer from 'puppeteer';
import { openBrowser } from '../build/print/browser.ts';
import { PUPPETEER_FLAGS } from '../build/print/chromium.ts';

describe('Chromium started by banmian', () => {
  it('gets the flags puppeteer.launch would give it', () => {
    expect(PUPPETEER_FLAGS).toEqual(puppeteer.defaultArgs({ headless: 'new' }).filter((arg) => arg !== 'about:blank'));
  });

  it('talks over its pipe: messages of any size, split across reads, in UTF-8', async () => {
    const session = await openBrowser({});
    try {
      const page = await session.browser.newPage();
      await page.setContent('<p>版面</p>');
      // ~6 MB each way: the pipe delivers it in many chunks, with multi-byte characters cut between them.
      const long = '长沙制造'.repeat(500_000);
      expect(await page.evaluate((text) => `${document.querySelector('p')!.textContent}${text}`, long)).toBe(`版面${long}`);
    } finally {
      await session.release();
    }
  });
});
