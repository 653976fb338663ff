// What script adds to pages that work without it: options that apply at once, downloads that show their
// progress, pages of work in progress that look again by themselves, e-book documents at full height.
"use strict";

document.documentElement.classList.add("scripted");

const sleep = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });
const parsePage = async (response) => new DOMParser().parseFromString(await response.text(), "text/html");

// The edition options: every link that keeps them follows a change at once; views that show an edition
// (pages, chapters) are made again with the new options.
const optionsForm = document.querySelector("form.edition-options");
if (optionsForm) {
  optionsForm.addEventListener("change", () => {
    if (optionsForm.dataset.view !== "reading") {
      optionsForm.requestSubmit();
      return;
    }
    const chosen = new URLSearchParams();
    for (const control of optionsForm.elements) {
      if (control.name && control.name !== "view" && control.type !== "hidden" && control.type !== "submit") {
        chosen.set(control.name, control.type === "checkbox" ? (control.checked ? "on" : "off") : control.value);
      }
    }
    for (const keeper of document.querySelectorAll("[data-keeps-options]")) {
      const attribute = keeper.tagName === "FORM" ? "action" : "href";  // the send form keeps them too
      const url = new URL(keeper[attribute]);
      chosen.forEach((value, name) => url.searchParams.set(name, value));
      keeper[attribute] = url.href;
    }
    const page = new URL(window.location.href);
    chosen.forEach((value, name) => page.searchParams.set(name, value));
    window.history.replaceState(null, "", page.href);
    document.querySelector(".download-status").textContent = "The downloads and checks now use these options.";
  });
}

// Downloads show their progress: the edition is fetched, then saved; without script the links work as they are.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a.download");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || !window.fetch) {
    return;
  }
  event.preventDefault();
  const status = document.querySelector(".download-status");
  const label = link.textContent.replace(/^Download /, "");
  const started = Date.now();
  link.setAttribute("aria-disabled", "true");
  const tick = () => {
    status.textContent = `Preparing the ${label}… ${Math.round((Date.now() - started) / 1000)} s`;
  };
  tick();
  const timer = window.setInterval(tick, 1000);
  try {
    let response = await fetch(link.href, { credentials: "same-origin" });
    // 202: the edition is a job on the queue; say where it is and ask again.
    while (response.status === 202) {
      const state = (await parsePage(response)).querySelector(".job-state");
      status.textContent = `The ${label}: ${state ? state.textContent.trim() : "waiting for a worker"}`;
      window.clearInterval(timer);
      await sleep(2000);
      response = await fetch(link.href, { credentials: "same-origin" });
    }
    if (!response.ok) {
      const message = (await parsePage(response)).querySelector(".error-message");
      throw new Error(message ? message.textContent : `the server answered ${response.status}`);
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(disposition) || /filename="([^"]+)"/.exec(disposition);
    const name = match ? decodeURIComponent(match[1]) : "";
    const url = URL.createObjectURL(await response.blob());
    const save = document.createElement("a");
    save.href = url;
    save.download = name;
    document.body.append(save);
    save.click();
    save.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = `The ${label} is ready: ${name}`;
  } catch (error) {
    status.textContent = `The ${label} could not be made: ${error.message}`;
  } finally {
    window.clearInterval(timer);
    link.removeAttribute("aria-disabled");
  }
});

// A page of work in progress (202): count the seconds, ask again, and show the result once it is there.
const jobState = document.querySelector(".job-state");
if (jobState && window.fetch) {
  const started = Date.now() - 1000 * Number(jobState.dataset.seconds || 0);
  window.setInterval(() => {
    const seconds = jobState.querySelector(".job-seconds");
    if (seconds) {
      seconds.textContent = String(Math.round((Date.now() - started) / 1000));
    }
  }, 1000);
  (async () => {
    for (;;) {
      await sleep(1000);
      const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
      if (response.status !== 202) {
        window.location.reload();
        return;
      }
      const fresh = (await parsePage(response)).querySelector(".job-state");
      // queued, then running; or a notice that no worker takes jobs, or that one does again
      if (fresh && (fresh.dataset.state !== jobState.dataset.state || fresh.dataset.notice !== jobState.dataset.notice)) {
        jobState.dataset.state = fresh.dataset.state;
        jobState.dataset.notice = fresh.dataset.notice;
        jobState.innerHTML = fresh.innerHTML;
      }
    }
  })();
}

// E-book documents at their full height, as a reader scrolls them: no frame with a scrollbar of its own.
const fitToDocument = (frame) => {
  const inner = frame.contentDocument;
  if (inner && inner.documentElement) {
    // The root's own box, not its scrollHeight, which is never less than the frame's height.
    frame.style.height = `${Math.ceil(inner.documentElement.getBoundingClientRect().height)}px`;
  }
};
for (const frame of document.querySelectorAll("iframe.document")) {
  const fit = () => {
    fitToDocument(frame);
    frame.contentDocument.fonts.ready.then(() => fitToDocument(frame));
  };
  frame.addEventListener("load", fit);
  if (frame.contentDocument && frame.contentDocument.readyState === "complete"
      && frame.contentDocument.URL !== "about:blank") {
    fit();
  }
}
