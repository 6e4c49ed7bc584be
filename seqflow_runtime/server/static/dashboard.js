// seqflow dashboard: live updates. Hand-written, no build step, no dependencies.
// Fragments come from the server already escaped; this script never builds HTML from task data.
"use strict";

// Swap a region's content for a fresh server-rendered fragment, keeping keyboard focus where it was.
function swap(region, html) {
  const focused = document.activeElement && region.contains(document.activeElement) ? document.activeElement.id : null;
  region.innerHTML = html;
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
}

// A form field inside the region holds something the user is typing: do not wipe it.
function busy(region) {
  const active = document.activeElement;
  return active && region.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
}

async function fetchText(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(response.status);
  return response.text();
}

// The task list: poll its own results fragment every two seconds while the tab is visible.
function followList(region) {
  let last = null;
  setInterval(async () => {
    if (document.hidden) return;
    try {
      const html = await fetchText(region.dataset.live);
      if (html !== last && !busy(region)) { last = html; swap(region, html); }
    } catch (e) { /* the next tick tries again */ }
  }, 2000);
}

// A task page: follow the task's event stream; on each new version, re-render the live part.
function followTask(region) {
  if (!window.EventSource || region.dataset.status !== "paused") return;
  const events = new EventSource(region.dataset.events);
  let pending = null;
  const refresh = async () => {
    if (busy(region)) { pending = setTimeout(refresh, 1000); return; }
    pending = null;
    try { swap(region, await fetchText(region.dataset.fragment)); } catch (e) { /* kept as it was */ }
  };
  events.addEventListener("task", (message) => {
    const task = JSON.parse(message.data);
    if (String(task.version) !== region.dataset.version) {
      region.dataset.version = String(task.version);
      region.dataset.status = task.status;
      if (pending === null) refresh();
    }
    if (task.status !== "paused") events.close();
  });
  events.addEventListener("gone", () => events.close());
}

document.addEventListener("DOMContentLoaded", () => {
  const results = document.getElementById("results");
  if (results && results.dataset.live) followList(results);
  const live = document.getElementById("live");
  if (live) followTask(live);
});
