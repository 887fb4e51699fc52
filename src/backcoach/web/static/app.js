// Small things every page shares: the service worker that lets the app work offline and be
// installed, and the browser's own time zone where a form asks for one.
"use strict";
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => { /* the app works without it, online */ });
}
document.querySelectorAll("[data-browser-zone]").forEach((field) => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Only where the person has not chosen yet: the server marks a field it filled with its default.
  if (zone && field.dataset.browserZone === "default") field.value = zone;
});

// A "Print this" button (the clinic's invitations): the browser's own print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
