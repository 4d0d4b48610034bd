// l10n serve: the review desk in the browser. Every text from the site goes in as
// text (textContent, never HTML), so nothing in an article can run here.
"use strict";

const TOKEN = document.querySelector('meta[name="l10n-token"]').content;
const $ = (id) => document.getElementById(id);
const view = { rows: [], total: 0, loading: false, page: null, segment: -1, row: -1 };
// control characters and bidi overrides, which would act on the page (reverse a path or a
// sentence as it is shown): shown as their codes, as l10n's terminal output and review --html do
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const code = (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
const visible = (text) => String(text).replace(CONTROL, code);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = visible(value);
    else if (name === "title") node.setAttribute(name, visible(value));
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return node;
}

async function api(path, params) {
  const query = new URLSearchParams(params || {}).toString();
  const answer = await fetch(path + (query ? "?" + query : ""), { headers: { "X-L10n-Token": TOKEN } });
  const data = await answer.json();
  if (!answer.ok) throw new Error(data.message || answer.statusText);
  return data;
}

async function post(path, body) {
  const answer = await fetch(path, {
    method: "POST", headers: { "X-L10n-Token": TOKEN, "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return answer.json();
}

// -- the list of pages -------------------------------------------------------------

function filters() {
  return { lang: $("lang").value, state: $("state").value, findings: $("findings").checked ? "1" : "",
           sort: $("sort").value, q: $("search").value.trim() };
}

async function loadList(reset, fresh) {
  if (view.loading) return;
  view.loading = true;
  try {
    if (reset) { view.rows = []; $("pages").replaceChildren(); }
    const data = await api("/api/pages", { ...filters(), offset: view.rows.length, limit: 100, fresh: fresh ? "1" : "" });
    if ($("lang").options.length === 0) {
      for (const lang of data.languages) $("lang").append(el("option", { value: lang, text: lang }));
      for (const state of data.states) $("state").append(el("option", { value: state, text: state }));
    }
    view.total = data.total;
    for (const row of data.rows) { view.rows.push(row); $("pages").append(listItem(row, view.rows.length - 1)); }
    const counts = Object.entries(data.counts).map(([s, n]) => `${n} ${s}`).join(", ");
    $("counts").textContent = `${data.total} pages shown` + (counts ? ` · ${counts}` : "");
    $("more").textContent = view.rows.length < view.total ? `${view.total - view.rows.length} more below…` : "";
  } catch (error) {
    $("counts").textContent = "The list could not be read: " + error.message;
  } finally {
    view.loading = false;
  }
}

function confidenceBadge(value) {
  if (value === null || value === undefined) return null;
  const level = value < 50 ? "low" : value < 80 ? "mid" : "high";
  return el("span", { class: `badge ${level}`, title: "the engine's confidence in its weakest segment", text: `${value}%` });
}

function listItem(row, index) {
  const facts = el("span", { class: "facts" }, el("span", { class: `badge st-${row.status}`, text: row.status }),
    confidenceBadge(row.confidence),
    row.errors ? el("span", { class: "badge err", text: `${row.errors} error${row.errors === 1 ? "" : "s"}` }) : null,
    row.warnings ? el("span", { class: "badge warn", text: `${row.warnings} warning${row.warnings === 1 ? "" : "s"}` }) : null);
  return el("li", { role: "option", "data-index": index, title: row.detail || row.target,
                    onclick: () => openRow(index) }, el("span", { class: "path", text: row.target }), facts);
}

async function openRow(index) {
  const row = view.rows[index];
  if (!row) return;
  if (!leaveUnsaved(index)) return;
  view.row = index;
  for (const li of $("pages").children) li.classList.toggle("current", Number(li.dataset.index) === index);
  $("pages").children[index]?.scrollIntoView({ block: "nearest" });
  if (row.status === "missing" || row.status === "orphan") {
    $("page").replaceChildren(el("h1", { text: row.target }), el("p", { text: `${row.status}: ${row.detail || ""}` }));
    return;
  }
  await openPage(row.source, row.lang);
}

// -- one page ----------------------------------------------------------------------

async function openPage(source, lang, keep, saved) {
  try {
    const page = await api("/api/page", { source, lang });
    const segment = keep ? view.segment : -1;
    const kept = keep && view.page && view.page.source === source && view.page.lang === lang ? drafts(saved) : new Map();
    view.page = page;
    renderPage(page);
    page.segments.forEach((seg, i) => {
      // a person's unsaved text, drawn again as it was; it saves only over the text it was typed over
      const draft = seg.editable ? kept.get(seg.uid) : undefined;
      if (draft) { segmentNode(i).querySelector(".tgt").replaceChildren(...draft.nodes); seg.seen = draft.seen; }
    });
    if (segment >= 0) focusSegment(Math.min(segment, page.segments.length - 1), false);
  } catch (error) {
    $("page").replaceChildren(el("p", { class: "message fail", role: "alert", text: error.message }));
  }
}

function leaveUnsaved(index) {
  // another page drawn over text a person typed and did not save: only when they say so
  const unsaved = view.page && index !== view.row ? drafts().size : 0;
  return !unsaved || window.confirm(`${unsaved} segment${unsaved === 1 ? " holds" : "s hold"} text you have not ` +
                                    "saved. Leave this page and lose it?");
}

window.addEventListener("beforeunload", (event) => {
  if (view.page && drafts().size) { event.preventDefault(); event.returnValue = ""; }  // the browser asks
});

function drafts(saved) {
  // what a person typed in the page and did not save (the segment just saved aside), by segment
  const out = new Map();
  view.page.segments.forEach((segment, i) => {
    const editor = segment.editable && i !== saved ? segmentNode(i)?.querySelector(".tgt") : null;
    // spaces aside, as the server compares texts (an editor shows a no-break space as it types)
    const words = (text) => text.split(/\s+/).join(" ").trim();
    if (editor && words(serialize(editor)) !== words(segment.target.map((p) => p.tag || p.text).join(""))) {
      out.set(segment.uid, { nodes: [...editor.childNodes], seen: segment.seen });
    }
  });
  return out;
}

function renderPage(page) {
  const head = el("div", { class: "pagehead" },
    el("h1", {}, `${page.source_path} → ${page.target}`),
    el("div", {}, el("span", { class: `badge st-${page.status}`, text: page.status }), " ", page.detail || "",
      page.confidence !== null ? " · weakest segment " : "", confidenceBadge(page.confidence)),
    el("div", { class: "actions" }, el("button", { type: "button", id: "approve-page", onclick: approvePage,
      text: "Approve page (Shift+A)" }), el("span", { id: "page-message" })),
    page.findings.length ? el("ul", {}, page.findings.map((f) => findingItem(f))) : null);
  $("page").replaceChildren(head, ...page.segments.map((segment, i) => renderSegment(segment, i)));
  view.segment = -1;
}

function chip(part) {
  const number = part.tag.replace(/\D/g, "");
  const shown = part.role === "void" ? (part.label || part.tag) : part.role === "open" ? `⟨${number}` : `${number}⟩`;
  return el("span", { class: `tag ${part.role}`, contenteditable: "false", "data-tag": part.tag,
                      title: `${part.markup || "markup"}${part.label ? ": " + part.label : ""} (keep it)`, text: shown });
}

function fill(node, parts) {
  // a control character in an editor: a chip that writes it back as it was
  const text = (t) => t.split(new RegExp(`(${CONTROL.source})`)).filter((x) => x).map((x) =>
    x.match(CONTROL) ? el("span", { class: "tag void", contenteditable: "false", "data-tag": x, text: x,
                                     title: "an invisible control character (keep it)" }) : document.createTextNode(x));
  node.replaceChildren(...(parts || []).flatMap((p) => (p.tag ? [chip(p)] : text(p.text))));
}

function serialize(node) {
  let out = "";
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) out += child.textContent;
    else if (child.dataset && child.dataset.tag) out += child.dataset.tag;
    else if (child.nodeName === "BR") out += " ";
    else out += serialize(child);
  }
  return out.replace(/\u00a0/g, " ");
}

function findingItem(finding, segment) {
  const item = el("li", { class: finding.severity === "error" ? "err" : "warn" },
    `${finding.severity}: ${finding.message} [${finding.check}]`);
  if (finding.accepted) item.append(" (accepted)");
  else item.append(" ", el("button", { type: "button", class: "accept", onclick: () => accept(finding, segment),
                                       text: "Accept" }));
  return item;
}

function renderSegment(segment, index) {
  const where = el("div", { class: "where" }, segment.label,
    segment.stale ? el("span", { class: "badge st-stale", text: "source changed" }) : null,
    segment.machine ? el("span", { class: "badge st-machine", text: "machine" }) : null,
    segment.confidence !== null ? el("span", {}, "confidence ", confidenceBadge(segment.confidence)) : null);
  const source = el("div", { class: "src", lang: view.page.source_lang });
  fill(source, segment.source);
  const target = el("div", { class: "tgt", lang: view.page.lang });
  if (segment.editable) {
    target.setAttribute("contenteditable", "true");
    target.setAttribute("spellcheck", "true");
    target.setAttribute("aria-label", "translation");
    fill(target, segment.target);
    target.addEventListener("keydown", editorKeys);
    target.addEventListener("paste", pastePlain);
    target.addEventListener("focus", () => focusSegment(index, false));
  } else {
    target.classList.add("readonly");
    target.textContent = visible(segment.text || "");
  }
  const below = el("div", { class: "below" },
    segment.why ? el("p", { class: "note", text: segment.why }) : null,
    segment.previous ? el("p", { class: "previous", text: "before the source changed: " + segment.previous }) : null,
    segment.findings.length ? el("ul", {}, segment.findings.map((f) => findingItem(f, index))) : null,
    segment.matches.length ? el("ul", { class: "matches" }, segment.matches.map((m, k) => el("li", {},
      `memory ${m.score}%: ${m.source} → `, el("span", {}, m.target.map((p) => (p.tag ? chip(p) : p.text))), " ",
      el("button", { type: "button", class: "insert", onclick: () => insert(index, k), text: "Insert" })))) : null,
    el("p", { class: "message", role: "status" }));
  const buttons = segment.editable ? el("div", { class: "buttons" },
    el("button", { type: "button", class: "save", onclick: () => save(index, false), text: "Save (Ctrl+S)" }),
    el("button", { type: "button", class: "approve", onclick: () => approveSegment(index), text: "Approve (a)" })) : null;
  return el("div", { class: "seg" + (segment.stale ? " stale" : ""), "data-index": index,
                     onclick: () => focusSegment(index, false) }, where, source, target, buttons, below);
}

function segmentNode(index) {
  return $("page").querySelector(`.seg[data-index="${index}"]`);
}

function say(index, ok, text) {
  const node = index === null ? $("page-message") : segmentNode(index)?.querySelector(".message");
  if (!node) return;
  node.className = "message " + (ok ? "ok" : "fail");
  node.setAttribute("role", ok ? "status" : "alert");
  node.textContent = text;
}

function focusSegment(index, scroll) {
  if (!view.page || index < 0 || index >= view.page.segments.length) return;
  segmentNode(view.segment)?.classList.remove("current");
  view.segment = index;
  const node = segmentNode(index);
  node.classList.add("current");
  if (scroll !== false) node.scrollIntoView({ block: "nearest" });
}

function pastePlain(event) {
  event.preventDefault();
  const text = (event.clipboardData || window.clipboardData).getData("text/plain").replace(/\s*\n\s*/g, " ");
  document.execCommand("insertText", false, text);
}

function editorKeys(event) {
  const index = Number(event.target.closest(".seg").dataset.index);
  if (event.key === "Enter") {
    event.preventDefault();  // a segment is one block: a line break would change the page's structure
    if (event.ctrlKey || event.metaKey) save(index, true);
  } else if (event.key === "s" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    save(index, false);
  } else if (event.key === "Escape") {
    event.target.blur();
  }
}

async function afterWrite(index, answer) {
  // a write that was done: the page as it is now, drawn again, then what was done said beside it
  if (answer.ok) {
    await openPage(view.page.source, view.page.lang, true, index);
    refreshRow();
  }
  say(index, answer.ok, answer.message);
}

async function save(index, approve) {
  const segment = view.page.segments[index];
  const editor = segmentNode(index).querySelector(".tgt");
  const answer = await post("/api/edit", { source: view.page.source, lang: view.page.lang, uid: segment.uid,
                                           text: serialize(editor).trim(), seen: segment.seen, approve });
  await afterWrite(index, answer);
}

async function approveSegment(index) {
  const segment = view.page.segments[index];
  if (!segment || !segment.editable) return;
  const editor = segmentNode(index).querySelector(".tgt");
  const text = serialize(editor).trim();
  const answer = text !== segment.target.map((p) => p.tag || p.text).join("").trim()
    ? await post("/api/edit", { source: view.page.source, lang: view.page.lang, uid: segment.uid, text,
                                seen: segment.seen, approve: true })
    : await post("/api/approve", { source: view.page.source, lang: view.page.lang, uid: segment.uid, seen: segment.seen });
  await afterWrite(index, answer);
}

async function approvePage() {
  const unsaved = drafts().size;  // the page is approved as the file has it, not as the editors show it
  if (unsaved) {
    say(null, false, `${unsaved} segment${unsaved === 1 ? " holds" : "s hold"} text you have not saved: save it, or reload the page, then approve`);
    return;
  }
  const answer = await post("/api/approve-page", { source: view.page.source, lang: view.page.lang,
                                                   version: view.page.version });
  say(null, answer.ok, answer.message);
  if (answer.ok) { await openPage(view.page.source, view.page.lang, true); say(null, true, answer.message); refreshRow(); }
}

async function accept(finding, index) {
  const answer = await post("/api/accept", { source: view.page.source, lang: view.page.lang, finding: finding.id });
  if (index === undefined) say(null, answer.ok, answer.message);
  await afterWrite(index === undefined ? null : index, answer);
}

function insert(index, k) {
  const segment = view.page.segments[index];
  const editor = segmentNode(index).querySelector(".tgt");
  fill(editor, segment.matches[k].target);
  editor.focus();
  say(index, true, "inserted: look at it, place any code left at its end, then save");
}

async function refreshRow() {
  // the list row of the open page says its new state (the list is judged again on the server)
  const row = view.rows[view.row];
  if (!row) return;
  const data = await api("/api/pages", { ...filters(), q: row.target, offset: 0, limit: 5 });
  const fresh = data.rows.find((r) => r.target === row.target && r.lang === row.lang);
  if (fresh) {
    view.rows[view.row] = fresh;
    const li = listItem(fresh, view.row);
    li.classList.add("current");
    $("pages").children[view.row].replaceWith(li);
  }
}

// -- the keyboard ------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  const inField = event.target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName);
  if (inField) {
    if (event.key === "Escape" && event.target.tagName === "INPUT") event.target.blur();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const count = view.page ? view.page.segments.length : 0;
  const actions = {
    j: () => focusSegment(Math.min(view.segment + 1, count - 1)),
    k: () => focusSegment(Math.max(view.segment - 1, 0)),
    n: () => openRow(Math.min(view.row + 1, view.rows.length - 1)),
    p: () => openRow(Math.max(view.row - 1, 0)),
    e: () => segmentNode(view.segment)?.querySelector(".tgt[contenteditable=true]")?.focus(),
    a: () => approveSegment(view.segment),
    A: () => approvePage(),
    "/": () => $("search").focus(),
  };
  const action = actions[event.key];
  if (action) { event.preventDefault(); action(); }
});

// -- start -------------------------------------------------------------------------

let searchTimer = null;
for (const id of ["lang", "state", "findings", "sort"]) $(id).addEventListener("change", () => loadList(true));
$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadList(true), 250); });
$("refresh").addEventListener("click", () => loadList(true, true));
new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting) && view.rows.length < view.total) loadList(false);
}).observe($("more"));
loadList(true);
