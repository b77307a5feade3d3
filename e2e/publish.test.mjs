// A course copies dist/ into /docs/pte/ of its web server and embeds an
// interleaving in a lecture page of another site: the page works there, links
// to itself, loads nothing once started (its web worker included), keeps to
// its Content-Security-Policy, and the embed fits its iframe, sandboxed or not.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  SITE_DIRECTORY,
  openPage,
  policyViolations,
  pollUntil,
  saveScreenshot,
  startSite,
  useSite,
  watchNetwork,
} from "./helpers.mjs";
import { startPageServer } from "./server.mjs";
import { DocumentationPage, articleWithSnippet } from "./pages/documentation-page.mjs";
import { EmbedPage } from "./pages/embed-page.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const FOLDER = "/docs/pte/";
const environment = useSite({ base: FOLDER });

// The lecture pages: another origin (another port).
let lectures;
// The same build on a server that lets any origin fetch it, as GitHub Pages
// does: what a sandboxed iframe without allow-same-origin needs.
let openSite;
before(async () => {
  lectures = await startPageServer();
  openSite = await startSite({ base: FOLDER, headers: { "access-control-allow-origin": "*" } });
});
after(async () => {
  await lectures?.close();
  await openSite?.close();
});

/** Opens `url` in a new page, runs `body({ page, errors, network })`, saves screenshot `name`. */
async function withNewPage(name, url, body, options) {
  const { page, errors } = await openPage(environment.browser, options);
  const network = watchNetwork(page);
  try {
    await page.goto(url);
    await body({ page, errors, network });
  } finally {
    await saveScreenshot(page, name);
    await page.context().close();
  }
}

/** The torn interleaving's permalink and embed snippet, from the full page in the folder. */
async function tornLinkAndSnippet() {
  let shared;
  await environment.withPage("publish-0-source", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    shared = {
      link: await explorer.permalinkField.inputValue(),
      snippet: await page.getByTestId("embed-snippet").inputValue(),
    };
  });
  return shared;
}

test("in a sub-folder the page renders, links to its own address and loads nothing more", async () => {
  const site = environment.site.url;
  assert.ok(site.endsWith(FOLDER), site);
  let link;
  let words;
  await withNewPage("publish-1-subfolder", site, async ({ page, errors, network }) => {
    const explorer = new StepperPage(page);
    await page.waitForLoadState("load");
    // The app starts its web worker as it starts; that loads three more files.
    await explorer.waitUntilStarted();
    assert.deepEqual(network.failures, [], "every file loaded");
    assert.ok(network.requests.some((url) => url.endsWith(".wasm")), `the wasm loaded: ${network.requests}`);
    assert.ok(
      network.requests.some((url) => url.startsWith(`${site}worker-loader.js?js=`)),
      `the worker started from the folder: ${network.requests}`,
    );
    for (const url of network.requests) {
      assert.ok(url.startsWith(site), `${url} is outside ${site}`);
    }
    const loaded = network.requests.length;

    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|\*/);

    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    await explorer.exploreAll();
    link = await explorer.permalinkField.inputValue();
    assert.ok(link.startsWith(`${site}#v=3&`), `the permalink starts with the folder's address: ${link}`);
    const snippet = await page.getByTestId("embed-snippet").inputValue();
    assert.ok(snippet.startsWith(`<iframe src="${site}?embed=1#v=3&amp;`), snippet);
    words = await explorer.memoryWords();

    assert.deepEqual(network.requests.slice(loaded), [], "no request after loading");
    assert.deepEqual(await policyViolations(page), []);
    assert.deepEqual(errors, [], "the page logged no errors");
  });

  await withNewPage("publish-2-permalink-reopened", link, async ({ page, errors, network }) => {
    const explorer = new StepperPage(page);
    // A linked trace opens at its start; End walks it to its last step.
    await explorer.waitForPosition(`step 0 of ${TORN_INTERLEAVING.length}`);
    await explorer.endButton.click();
    await explorer.waitForVerdict("TORN");
    assert.equal(await explorer.stepsTaken(), TORN_INTERLEAVING.length);
    assert.deepEqual(await explorer.memoryWords(), words);
    assert.equal(await explorer.permalinkField.inputValue(), link);
    assert.deepEqual(network.failures, []);
    assert.deepEqual(errors, []);
  });
});

test("the Content-Security-Policy is enforced: an inline script is refused and reported", async () => {
  await withNewPage("publish-3-policy", environment.site.url, async ({ page, errors }) => {
    await new StepperPage(page).waitUntilReady();
    assert.deepEqual(errors, []);
    // What an injected script would do; the policy refuses to run it.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineScriptRan = true;";
      document.head.append(script);
    });
    const violations = await pollUntil(page, () => policyViolations(page), (list) => list.length > 0, {
      what: "a violation is reported",
    });
    assert.match(violations[0], /^script-src-elem refused inline in /);
    assert.equal(await page.evaluate(() => window.__inlineScriptRan), undefined);
  });
});

test("the snippet in a lecture page of another origin plays the trace and fits its iframe", async () => {
  const { link, snippet } = await tornLinkAndSnippet();
  lectures.setPage("/lecture-4.html", articleWithSnippet(snippet));
  const viewport = { width: 1000, height: 700 };
  await withNewPage("publish-4b-embed-in-lecture-narrow", `${lectures.url}lecture-4.html`, async ({ page, errors, network }) => {
    const lecture = new DocumentationPage(page);
    const embed = new EmbedPage(page, lecture.frameLocator);
    await embed.waitForPosition("step 0 of 9");
    assert.match(await embed.traceEnd.textContent(), /ends ✖ TORN 0x0000000000001067/);
    assert.equal(await embed.fullExplorerLink.getAttribute("href"), link, "the full page, same folder, no embed=1");
    await page.waitForLoadState("load");
    const loaded = network.requests.length;

    const atStart = await lecture.waitUntilFitted();
    await embed.end.click();
    await embed.waitForPosition("step 9 of 9");
    await embed.verdict.filter({ hasText: "TORN" }).waitFor();
    const atEnd = await lecture.waitUntilFitted();
    assert.ok(await lecture.iframeOverhang() <= 0, "the iframe fits the 820 px column");
    await saveScreenshot(page, "publish-4a-embed-in-lecture-wide");
    // A narrower column makes the player taller; the iframe follows.
    await page.setViewportSize({ width: 520, height: 700 });
    const narrow = await lecture.waitUntilFitted();
    console.log(
      `embed heights (content / iframe, px): step 0 ${atStart.content} / ${atStart.iframe}, ` +
        `step 9 ${atEnd.content} / ${atEnd.iframe}, 520 px window ${narrow.content} / ${narrow.iframe}`,
    );
    assert.ok(narrow.content > atEnd.content + 100, "the content grew when the column narrowed");
    assert.ok(await lecture.iframeOverhang() <= 0, "the iframe fits the narrower column");
    assert.ok(await lecture.horizontalOverflow() <= 0, "the lecture page never scrolls sideways");
    await embed.back.click();
    await embed.waitForPosition("step 8 of 9");

    assert.deepEqual(network.requests.slice(loaded), [], "no request after loading");
    assert.deepEqual(network.failures, []);
    assert.deepEqual(await policyViolations(await lecture.frame()), []);
    assert.deepEqual(errors, [], "neither page logged an error");
  }, { viewport });
});

// Chromium runs the sandboxed frame in a process of its own; in the
// full-page screenshot it paints that frame only near the window, so the
// lower part of publish-5-sandboxed.png is blank (scrolled into view, it is
// drawn).
test("the snippet works in a sandboxed iframe with allow-scripts", async () => {
  const { snippet } = await tornLinkAndSnippet();
  const sandboxed = snippet
    .replaceAll(environment.site.url, openSite.url)
    .replace("<iframe ", '<iframe sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" ');
  lectures.setPage("/lecture-4-sandboxed.html", articleWithSnippet(sandboxed));
  await withNewPage("publish-5-sandboxed", `${lectures.url}lecture-4-sandboxed.html`, async ({ page, errors, network }) => {
    const lecture = new DocumentationPage(page);
    const embed = new EmbedPage(page, lecture.frameLocator);
    await embed.waitForPosition("step 0 of 9");
    assert.equal(await (await lecture.frame()).evaluate(() => window.origin), "null", "the frame is sandboxed");
    await embed.forward.click();
    await embed.waitForPosition("step 1 of 9");
    await lecture.waitUntilFitted();
    const href = await embed.fullExplorerLink.getAttribute("href");
    assert.ok(href.startsWith(`${openSite.url}#v=3&`), `the link names the folder, not "null": ${href}`);
    assert.deepEqual(network.failures, []);
    assert.deepEqual(await policyViolations(await lecture.frame()), []);
    assert.deepEqual(errors, []);
  });
});

test("the published build has no reload script and its pages log nothing while idle", async () => {
  const html = await readFile(join(SITE_DIRECTORY, "index.html"), "utf8");
  assert.doesNotMatch(html, /WebSocket|__TRUNK_|autoreload/i, "no development reload script");
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0);
  for (const script of scripts) {
    assert.match(script, / src="\.\/[^"]+"/, `a script from a relative file, not inline: ${script}`);
  }

  const { snippet } = await tornLinkAndSnippet();
  lectures.setPage("/lecture-idle.html", articleWithSnippet(snippet));
  const opened = [];
  try {
    for (const url of [environment.site.url, `${lectures.url}lecture-idle.html`]) {
      const { page } = await openPage(environment.browser);
      const record = { url, page, logged: [], network: watchNetwork(page) };
      page.on("console", (message) => record.logged.push(`${message.type()}: ${message.text()}`));
      page.on("pageerror", (error) => record.logged.push(`uncaught: ${error.message}`));
      opened.push(record);
      await page.goto(url);
      await page.waitForLoadState("load");
    }
    await new StepperPage(opened[0].page).waitUntilStarted();
    await new EmbedPage(opened[1].page, opened[1].page.frameLocator("iframe")).waitForPosition("step 0 of 9");
    const loaded = opened.map((record) => record.network.requests.length);
    // The one deliberate wait: trunk's reload script logs every 5 s.
    await opened[0].page.waitForTimeout(10_000);
    opened.forEach((record, index) => {
      assert.deepEqual(record.logged, [], `${record.url} logged nothing`);
      assert.deepEqual(record.network.requests.slice(loaded[index]), [], `${record.url} requested nothing more`);
    });
  } finally {
    for (const record of opened) {
      await record.page.context().close();
    }
  }
});
