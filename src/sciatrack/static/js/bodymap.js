/* The body map of the safety check: each drawn region toggles the real checkbox of the same name.
   Without this script the checkbox list alone does the job; with it, the picture is shown and the
   list folds away (still one tap away, and still what the form submits). */
(function () {
  "use strict";
  var map = document.querySelector("[data-bodymap]");
  if (!map) return;
  var form = map.closest("form");
  var list = document.querySelector("[data-region-list]");
  var chosenText = map.querySelector("[data-chosen]");

  function box(region) {
    return form.querySelector('input[type="checkbox"][value="' + region + '"]');
  }

  function labelOf(region) {
    var label = form.querySelector('label[for="' + box(region).id + '"]');
    return label ? label.textContent.trim() : region;
  }

  function paint() {
    var chosen = [];
    form.querySelectorAll('input[type="checkbox"]').forEach(function (input) {
      if (input.checked) chosen.push(labelOf(input.value));
    });
    map.querySelectorAll("[data-region]").forEach(function (shape) {
      var on = box(shape.getAttribute("data-region")).checked;
      shape.classList.toggle("region--on", on);
      if (!shape.hasAttribute("data-duplicate")) shape.setAttribute("aria-pressed", on ? "true" : "false");
    });
    chosenText.textContent = chosen.length ? "Marked: " + chosen.join(", ") + "." : "Nothing marked yet.";
  }

  function toggle(region) {
    var input = box(region);
    input.checked = !input.checked;
    paint();
  }

  map.querySelectorAll("[data-region]").forEach(function (shape) {
    var region = shape.getAttribute("data-region");
    shape.addEventListener("click", function () { toggle(region); });
    if (shape.hasAttribute("data-duplicate")) return;
    shape.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle(region);
      }
    });
  });
  form.addEventListener("change", paint);

  map.hidden = false;
  if (list) list.open = false;
  paint();
})();
