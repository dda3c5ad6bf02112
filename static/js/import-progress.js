/* The admin's imports: once a form holding a data-import-progress-box is sent,
   its <progress> shows that the file is on its way and being checked, the button
   cannot send it twice, and the status says so (read by screen readers).

   The bar has no percentage on purpose: the upload is the short part (the
   browser shows its own progress), the server then reads and checks every row
   in the same request, and it cannot report a share of that without a job
   queue. The page that follows says how many rows were read and what will be
   done with them. Without JavaScript the form posts exactly the same way. */
(function () {
  "use strict";
  // "2,4 Mo", or "35 Ko" for a small file (French decimal comma).
  function size(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + "\u00a0Ko";
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + "\u00a0Mo";
  }

  var boxes = document.querySelectorAll("[data-import-progress-box]");
  Array.prototype.forEach.call(boxes, function (box) {
    var form = box.closest("form");
    if (!form) return;
    var status = box.querySelector("[data-import-progress-status]");
    var buttons = form.querySelectorAll("[type=submit]");
    // Back to this page (the browser's cache keeps it as it was): ready again.
    window.addEventListener("pageshow", function () {
      box.hidden = true;
      Array.prototype.forEach.call(buttons, function (button) { button.disabled = false; });
    });
    form.addEventListener("submit", function () {
      var file = form.querySelector("input[type=file]");
      var text = box.getAttribute("data-import-progress-text") || "";
      if (file && file.files && file.files.length) {
        text = text.replace("%s\u00a0Mo", size(file.files[0].size));
      } else {
        text = text.replace(" (%s\u00a0Mo)", "");
      }
      box.hidden = false;
      if (status) status.textContent = text;
      Array.prototype.forEach.call(buttons, function (button) {
        // After this event: disabling it now would drop its name from the post.
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
