// Wide display equations on paper: MathJax 3 cannot break lines, so each display equation
// wider than a printed page gets a scale (the CSS variable --ck-print-scale), which only the
// print stylesheet (print.css) applies. Screens are not affected.
(function () {
  // The text width of an A4 or US Letter page with the browser's default margins, in CSS px,
  // less a little room for the theme's padding.
  var PRINT_WIDTH = 640;

  function fit() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (eq) {
      eq.style.removeProperty("--ck-print-scale");
      var math = eq.firstElementChild;
      if (!math) return;
      var width = math.getBoundingClientRect().width;
      if (width > PRINT_WIDTH) {
        eq.style.setProperty("--ck-print-scale", (PRINT_WIDTH / width).toFixed(3));
      }
    });
  }

  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(fit);
    } else {
      fit();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenTypeset);
  } else {
    whenTypeset();
  }
})();
