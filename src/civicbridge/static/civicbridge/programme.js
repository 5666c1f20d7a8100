// The programme page's 打印 button: our CSP allows no inline handler, so it is bound here.
// Without JavaScript the button stays hidden (the browser's own Print still works).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
