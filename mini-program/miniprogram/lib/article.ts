/**
 * An article lesson's body (fetched from its signed link) as HTML for <rich-text>, which renders a safe
 * subset of tags itself. Markdown gets the few constructs authors use (headings, paragraphs, lists, bold,
 * italics, inline code); plain text becomes escaped paragraphs; HTML is passed through.
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function inline(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\*([^*]+)\*/g, "<em>$1</em>");
}

export function markdownToHtml(md: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inline).join("<br/>")}</p>`);
    paragraph = [];
  };
  const endList = () => {
    if (list.length) out.push(`<ul>${list.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`);
    list = [];
  };
  for (const raw of md.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/\s+$/, "");
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    const item = line.match(/^\s*[-*+]\s+(.*)$/);
    if (heading) {
      endParagraph();
      endList();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    } else if (item) {
      endParagraph();
      list.push(item[1]);
    } else if (!line.trim()) {
      endParagraph();
      endList();
    } else {
      endList();
      paragraph.push(line.trim());
    }
  }
  endParagraph();
  endList();
  return out.join("");
}

export function articleHtml(body: string, contentType: string): string {
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "text/html") return body;
  if (type === "text/markdown") return markdownToHtml(body);
  return body
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br/>")}</p>`)
    .join("");
}
