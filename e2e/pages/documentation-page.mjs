// Page object for a documentation page of another site that embeds the
// explorer with the copied snippet: an article in an 820 px column, the
// iframe, and how its height compares with the height of its content.

import { pollUntil } from "../helpers.mjs";

/** A documentation article holding `snippet` between two paragraphs. */
export function articleWithSnippet(snippet) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Memory models, lecture 4: torn page-table reads</title>
    <link rel="icon" href="data:," />
    <style>
      *, *::before, *::after { box-sizing: border-box; }
      body { margin: 0; font: 17px/1.6 Georgia, serif; }
      article { max-width: 820px; margin: 0 auto; padding: 1rem; }
    </style>
  </head>
  <body>
    <article>
      <h1>Lecture 4: torn page-table reads</h1>
      <p>Play the interleaving below step by step, then read on.</p>
      ${snippet}
      <p id="after-embed">The text after the explorer.</p>
    </article>
  </body>
</html>`;
}

export class DocumentationPage {
  /** @param {import("playwright-core").Page} page */
  constructor(page) {
    this.page = page;
    this.iframe = page.locator("iframe");
    /** For page objects that look inside the iframe (EmbedPage). */
    this.frameLocator = page.frameLocator("iframe");
  }

  /** The iframe's document (another origin: reached through the browser, not the page). */
  async frame() {
    const handle = await this.iframe.elementHandle();
    return handle.contentFrame();
  }

  /**
   * Heights in CSS pixels: `content`, the embedded page's own height;
   * `iframe`, the inner height of the iframe element in the host page;
   * `innerScroll`, how far the embedded page could scroll inside the iframe.
   */
  async heights() {
    const frame = await this.frame();
    const inside = await frame.evaluate(() => ({
      content: document.documentElement.getBoundingClientRect().height,
      innerScroll: document.documentElement.scrollHeight - window.innerHeight,
    }));
    const iframe = await this.iframe.evaluate((element) => element.clientHeight);
    return { ...inside, iframe };
  }

  /**
   * Waits until the iframe is as tall as its content (within `tolerance`
   * pixels) and the content does not scroll inside it; returns the heights.
   */
  async waitUntilFitted(tolerance = 2) {
    return pollUntil(
      this.page,
      () => this.heights(),
      ({ content, iframe, innerScroll }) => Math.abs(content - iframe) <= tolerance && innerScroll <= 0,
      { what: "the iframe fits its content" },
    );
  }

  /**
   * How many pixels the iframe reaches past the right edge of the article's
   * text column (0 or less when it fits the column).
   */
  iframeOverhang() {
    return this.iframe.evaluate((element) => {
      const column = element.closest("article");
      const style = getComputedStyle(column);
      const columnRight = column.getBoundingClientRect().right - parseFloat(style.paddingRight);
      return element.getBoundingClientRect().right - columnRight;
    });
  }

  /** How many pixels the host page is wider than its window (0 when it never scrolls sideways). */
  horizontalOverflow() {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }
}
