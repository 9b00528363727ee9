// The desk's behaviour that needs script: passage selection in the reader, copy buttons,
// keyboard shortcuts in the suggestion queue, "suggest for every document". Loaded from
// /static (Content-Security-Policy script-src 'self': no inline script anywhere).
"use strict";

// Code points before `offset` UTF-16 units of `text`: Python counts code points.
function codePoints(text, offset) {
  return Array.from(text.slice(0, offset)).length;
}

// The document offset of a (node, offset) boundary inside the reader's runs.
function documentOffset(article, node, offset) {
  let run = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (run === article) {
    // A boundary between runs: the start of the run after it, or the end of the text.
    const next = article.childNodes[offset];
    if (next && next.dataset) return Number(next.dataset.start);
    const last = article.lastElementChild;
    return last ? Number(last.dataset.start) + Array.from(last.textContent).length : 0;
  }
  run = run.closest("[data-start]");
  if (!run || !article.contains(run)) return null;
  const before = node.nodeType === Node.TEXT_NODE ? codePoints(node.data, offset) : 0;
  return Number(run.dataset.start) + before;
}

function selectedSpan(article) {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!article.contains(range.commonAncestorContainer)) return null;
  let start = documentOffset(article, range.startContainer, range.startOffset);
  let end = documentOffset(article, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  const text = Array.from(article.textContent);
  while (start < end && /\s/.test(text[start])) start += 1;  // a quote starts and ends on text
  while (end > start && /\s/.test(text[end - 1])) end -= 1;
  if (end <= start) return null;
  return { start: start, end: end, exact: text.slice(start, end).join("") };
}

function openClaimForm(article, span) {
  const box = document.getElementById("claim-form");
  const fill = function (form) {
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.elements.exact.value = span.exact;
    if (!form.elements.text.value) form.elements.text.value = span.exact;
  };
  box.hidden = false;
  fill(document.getElementById("new-claim"));  // at once; the reading layer's fill follows
  if (article.dataset.prefill === "yes" && window.htmx) {
    const url = "/documents/" + encodeURIComponent(article.dataset.slug) + "/prefill?start=" +
      span.start + "&end=" + span.end + "&exact=" + encodeURIComponent(span.exact);
    htmx.ajax("GET", url, { target: "#claim-form", swap: "innerHTML" }).then(function () {
      const form = document.getElementById("new-claim");
      if (form) fill(form);
    });
  }
  box.scrollIntoView({ block: "nearest" });
}

function setUpReader() {
  const article = document.getElementById("doc-text");
  if (!article) return;
  article.addEventListener("mouseup", function () {
    const span = selectedSpan(article);
    if (span) openClaimForm(article, span);
  });
}

function setUpCopy() {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.copy");
    if (button) {
      const text = document.getElementById(button.dataset.copy).textContent;
      navigator.clipboard.writeText(text).then(function () { button.textContent = "copied"; });
    }
    const alt = event.target.closest("button.alt");
    if (alt) {
      const input = alt.form.elements[alt.dataset.fill];
      if (input) input.value = alt.dataset.value;
    }
    const edit = event.target.closest("button.do-edit");
    if (edit) {
      const fields = edit.form.querySelector(".edit-fields");
      fields.hidden = !fields.hidden;
      if (!fields.hidden) fields.querySelector("input").focus();
    }
  });
}

function setUpSuggestionKeys() {
  const list = document.getElementById("suggestions");
  if (!list) return;
  let current = 0;
  const items = function () { return Array.from(list.querySelectorAll("li.suggestion")); };
  const show = function () {
    const all = items();
    all.forEach(function (item, index) { item.classList.toggle("current", index === current); });
    if (all[current]) all[current].focus();
  };
  document.addEventListener("keydown", function (event) {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.ctrlKey || event.metaKey || event.altKey) return;
    const all = items();
    if (all.length === 0) return;
    current = Math.min(current, all.length - 1);
    const item = all[current];
    if (event.key === "j") { current = Math.min(current + 1, all.length - 1); show(); }
    else if (event.key === "k") { current = Math.max(current - 1, 0); show(); }
    else if (event.key === "a") { const b = item.querySelector("button.do-accept"); if (b) b.click(); }
    else if (event.key === "e") { const b = item.querySelector("button.do-edit"); if (b) b.click(); event.preventDefault(); }
    else if (event.key === "r") { const i = item.querySelector("form.reject input[name=reason]"); if (i) { i.focus(); event.preventDefault(); } }
    else return;
  });
  show();
}

function setUpSuggestAll() {
  const button = document.getElementById("suggest-all");
  if (!button) return;
  button.addEventListener("click", async function () {
    const forms = Array.from(document.querySelectorAll("form.suggest-run"));
    const progress = document.getElementById("suggest-all-progress");
    button.disabled = true;
    for (let i = 0; i < forms.length; i += 1) {
      progress.textContent = "document " + (i + 1) + " of " + forms.length + "…";
      const response = await fetch("/suggestions/run", {
        method: "POST", body: new FormData(forms[i]), headers: { "HX-Request": "true" },
      });
      forms[i].parentElement.querySelector(".progress").innerHTML = await response.text();
    }
    progress.textContent = "done: " + forms.length + " documents. Reload to see the queue.";
    button.disabled = false;
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setUpReader();
  setUpCopy();
  setUpSuggestionKeys();
  setUpSuggestAll();
});
