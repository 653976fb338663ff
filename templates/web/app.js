// Downloads show their progress: the edition is fetched, then saved; without script the links work as they are.
"use strict";

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
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const state = page.querySelector(".job-state");
      status.textContent = `The ${label}: ${state ? state.textContent.trim() : "waiting for a worker"}`;
      window.clearInterval(timer);
      await new Promise((resolve) => { window.setTimeout(resolve, 2000); });
      response = await fetch(link.href, { credentials: "same-origin" });
    }
    if (!response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const message = page.querySelector(".error-message");
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
