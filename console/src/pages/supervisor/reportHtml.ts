/**
 * The monthly report's e-mail HTML, made fit for a sandboxed frame inside the console.
 *
 * A `srcdoc` frame inherits the console's Content-Security-Policy (`style-src 'self'`), which refuses the
 * e-mail's inline CSS. So the styles travel as data attributes and the console applies them through the
 * CSSOM (which the policy does not govern) once the frame has loaded (the frame is sandboxed without scripts; `allow-same-origin` only lets the
 * console reach into it). Nothing the e-mail carries runs: scripts, frames, objects, event handlers and
 * `javascript:` links are dropped here as well as by the sandbox. Inline images referenced by Content-ID
 * exist only in the e-mail: their description is shown in their place.
 */

export const STYLE_ATTRIBUTE = "data-cagri-style";
const DROPPED = "script, iframe, frame, frameset, object, embed, applet, base, link, meta[http-equiv], form";

export interface PreparedReport {
  /** The document for `srcdoc`. */
  html: string;
  /** The `<style>` sheets of the e-mail, to adopt through the CSSOM. */
  sheets: string[];
}

/**
 * Inline CSS must never reach an HTML parser here: Chromium checks a parsed `style` attribute (and a `<style>`
 * element) against the console's policy even in a DOMParser document, and reports each one as a violation.
 * So both are taken out of the text first. The report is rendered by the API with autoescaping, so a quote
 * inside text is `&#34;` and ` style="` can only be an attribute.
 */
function withoutInlineCss(source: string): { html: string; sheets: string[] } {
  const sheets: string[] = [];
  const html = source
    .replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_whole, css: string) => {
      sheets.push(css);
      return "";
    })
    .replace(/(\s)style\s*=\s*(["'])/gi, `$1${STYLE_ATTRIBUTE}=$2`);
  return { html, sheets };
}

export function prepareReportHtml(source: string, missingChart: (alt: string) => string): PreparedReport {
  const { html, sheets } = withoutInlineCss(source);
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll(DROPPED).forEach((element) => element.remove());
  doc.querySelectorAll("*").forEach((element) => {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "style") element.removeAttribute(attribute.name);
      else if ((name === "href" || name === "src") && /^\s*javascript:/i.test(attribute.value)) {
        element.removeAttribute(attribute.name);
      }
    }
  });
  doc.querySelectorAll('img[src^="cid:"]').forEach((image) => {
    const note = doc.createElement("p");
    note.className = "missing-chart";
    note.setAttribute(STYLE_ATTRIBUTE, "margin:8px 20px;padding:12px;border:1px dashed #8c96a3;color:#414d5c;font:13px/1.4 sans-serif;");
    note.textContent = missingChart(image.getAttribute("alt") ?? "");
    image.replaceWith(note);
  });
  // Links leave the frame in a new tab, never replacing the console.
  doc.querySelectorAll("a[href]").forEach((link) => {
    if (!link.getAttribute("href")!.startsWith("#")) link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
  });
  return { html: `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`, sheets };
}

/** Applies the styles to the loaded frame's document; returns the document's height. */
export function applyReportStyles(frame: HTMLIFrameElement, sheets: readonly string[]): number {
  const doc = frame.contentDocument;
  const view = frame.contentWindow as (Window & typeof globalThis) | null;
  if (!doc || !view) return 0;
  doc.querySelectorAll<HTMLElement>(`[${STYLE_ATTRIBUTE}]`).forEach((element) => {
    element.style.cssText = element.getAttribute(STYLE_ATTRIBUTE) ?? "";
  });
  if (sheets.length && "adoptedStyleSheets" in doc) {
    const adopted = sheets.map((text) => {
      const sheet = new view.CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    });
    doc.adoptedStyleSheets = adopted;
  }
  return doc.documentElement.scrollHeight;
}
