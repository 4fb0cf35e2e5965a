// Observatory deck: drag or swipe the top card (pointer events), ← → keys, Z undoes.
// Every gesture ends in one of the deck's own buttons, so htmx posts the same form a
// click (or a browser without JavaScript) would.
(function () {
  "use strict";

  var FLING_PX = 90; // past this the card is decided; a shorter drag springs back
  var busy = false;
  var queued = null; // one key pressed while the last decision is on its way

  function button(name) {
    return document.querySelector('#deck [data-decide="' + name + '"]');
  }

  function press(name) {
    if (busy) { queued = name; return true; }
    var btn = button(name);
    if (!btn) { return false; }
    var card = document.querySelector("#deck .swipe-card.top");
    // The next card is already in the page: show it while the decision is posted.
    if (card && name !== "undo" && window.htmx) { card.classList.add("leaving"); }
    if (btn.form.requestSubmit) { btn.form.requestSubmit(btn); } else { btn.click(); }
    return true;
  }

  function onKey(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var name = { ArrowRight: "right", ArrowLeft: "left", z: "undo", Z: "undo" }[event.key];
    if (name && press(name)) { event.preventDefault(); }
  }

  function drag(card) {
    var startX = null, dx = 0;

    function move(x) {
      card.style.transform = "translateX(" + x + "px) rotate(" + (x / 18) + "deg)";
      card.classList.toggle("going-right", x > FLING_PX);
      card.classList.toggle("going-left", x < -FLING_PX);
    }

    card.addEventListener("pointerdown", function (event) {
      if (busy || event.button > 0) { return; }
      startX = event.clientX; dx = 0;
      card.classList.add("dragging");
      card.setPointerCapture(event.pointerId);
    });
    card.addEventListener("pointermove", function (event) {
      if (startX === null) { return; }
      dx = event.clientX - startX;
      move(dx);
    });
    function end() {
      if (startX === null) { return; }
      startX = null;
      card.classList.remove("dragging");
      if (Math.abs(dx) > FLING_PX) {
        move(dx > 0 ? window.innerWidth : -window.innerWidth);
        press(dx > 0 ? "right" : "left");
      } else {
        card.style.transform = ""; // springs back through the CSS transition
        card.classList.remove("going-right", "going-left");
      }
    }
    card.addEventListener("pointerup", end);
    card.addEventListener("pointercancel", end);
  }

  // aria-busy says when the deck takes gestures again (screen readers, and tests, wait on it).
  function setBusy(value) {
    busy = value;
    var deck = document.getElementById("deck");
    if (deck) { deck.setAttribute("aria-busy", value ? "true" : "false"); }
  }

  function setUp() {
    var card = document.querySelector("#deck .swipe-card.top");
    if (card) { drag(card); }
    setBusy(false);
    var deck = document.getElementById("deck");
    if (deck && document.activeElement === document.body) { deck.focus({ preventScroll: true }); }
  }

  // Only the deck's own requests count: the page's other htmx parts (the help badge) load
  // on their own and must not hold the deck busy.
  function ours(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.closest && elt.closest("#deck"));
  }

  document.addEventListener("keydown", onKey);
  // Busy until the new card is settled: htmx enables the swapped-in forms only then, and a
  // key pressed in between would submit a form the plain way.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (ours(event)) { setBusy(true); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event) || event.detail.successful) { return; }
    setBusy(false); queued = null;
    var card = document.querySelector("#deck .swipe-card.leaving");
    if (card) { card.classList.remove("leaving", "going-right", "going-left"); card.style.transform = ""; }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var deck = document.getElementById("deck");
    if (!deck || event.target !== deck) { return; }
    setUp();
    deck.focus({ preventScroll: true });
    if (queued) { var next = queued; queued = null; press(next); }
  });
  // On a phone the site's menu and the picker push the card down: bring the whole deck
  // (card and buttons) into view once, when the page opens on it.
  function showDeck() {
    var deck = document.getElementById("deck");
    if (!deck || !deck.querySelector(".swipe-card.top")) { return; }
    var box = deck.getBoundingClientRect();
    if (box.bottom > window.innerHeight && box.height <= window.innerHeight) {
      deck.scrollIntoView({ block: "end" });
    }
  }

  setUp();
  showDeck();
}());
