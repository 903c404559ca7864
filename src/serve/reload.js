<script>
(() => {
  const events = new EventSource(EVENTS_URL);
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("failed", (e) => {
    let box = document.getElementById("dateline-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "dateline-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:1rem;z-index:99999;overflow:auto;background:#1b1b1f;color:#fff;padding:1rem 1.25rem;border:3px solid #ff8a80;border-radius:8px;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = "dateline: the last edit has errors; the page shows the last good build.\n\n" + JSON.parse(e.data);
  });
})();
</script>
