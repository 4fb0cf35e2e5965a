// Live pages (Task Manager, Dashboard): elements marked data-live poll with htmx. Skip the
// polls while the tab is hidden, and ask at once when it shows again or comes back from the
// back/forward cache, so Back after a report shows the runs as they are now.
(function () {
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (document.hidden && event.detail.elt.hasAttribute("data-live")) {
      event.preventDefault();
    }
  });
  function refresh() {
    if (!window.htmx) { return; }
    document.querySelectorAll("[data-live]").forEach(function (el) {
      window.htmx.trigger(el, "live-refresh");
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh(); }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { refresh(); }
  });
})();
