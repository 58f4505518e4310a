// On every page: the install button where the browser offers one, the line that says the device is
// offline, and the service worker (templates/sw.js) for a signed-in patient, whose pages it keeps for
// use without a connection. Signing out drops those pages first, so the next person on this device
// never sees them; window.sciatrackClearPageCache() does the same for other scripts.
(function () {
  "use strict";
  var PAGES_PREFIX = "sciatrack-pages-";  // templates/sw.js names each person's page cache so

  // Offline line ------------------------------------------------------------------------------------
  var line = document.querySelector(".offline-line");
  function showConnection() {
    if (!line) return;
    if (navigator.onLine) {
      line.parentNode.hidden = true;
      line.textContent = "";
      return;
    }
    line.parentNode.hidden = false;
    // Filled after it shows, so that screen readers read it out.
    setTimeout(function () { if (!navigator.onLine) line.textContent = line.getAttribute("data-words"); }, 50);
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  // Install button: made here, only where the browser offers to install (pages stay small) -----------
  var install = null;
  var offer = null;
  function showInstall() {
    var main = document.getElementById("main");
    if (!install && main) {
      install = document.createElement("div");
      install.className = "wrap app-note";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = "Install Sciatrack";
      button.addEventListener("click", function () {
        if (!offer || typeof offer.prompt !== "function") return;
        offer.prompt();
        Promise.resolve(offer.userChoice).then(hideInstall, hideInstall);
      });
      install.appendChild(button);
      // At the end of the page, not above it: a button appearing at the top would push the page down.
      main.appendChild(install);
    }
    if (install) install.hidden = false;
  }
  function hideInstall() {
    offer = null;
    if (install) install.hidden = true;
  }
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();  // the browser's own bar would cover the page: our button asks instead
    offer = event;
    showInstall();
  });
  window.addEventListener("appinstalled", hideInstall);

  // Kept pages --------------------------------------------------------------------------------------
  function tellWorker(message) {
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) worker.postMessage(message);
  }

  // Delete every person's kept pages (not the shell: it holds no one's data). Resolves when done.
  function clearPageCache() {
    tellWorker({ type: "forget-pages" });
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    }).catch(function () {});
  }
  window.sciatrackClearPageCache = clearPageCache;

  var signOut = document.querySelector("form.account__form");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      if (signOut.getAttribute("data-cleared")) return;
      event.preventDefault();
      var send = function () {
        if (signOut.getAttribute("data-cleared")) return;
        signOut.setAttribute("data-cleared", "1");
        signOut.submit();
      };
      clearPageCache().then(send, send);
      setTimeout(send, 2000);  // never keep a person from signing out
    });
  }

  var person = document.querySelector('meta[name="sciatrack-offline"]');
  if (!person) {
    // No signed-in patient here (signed out, or another kind of account): keep no one's pages.
    clearPageCache();
    return;
  }
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    // Fetch the pages this person has not opened lately, so they work when the connection goes.
    if (navigator.onLine && registration.active) registration.active.postMessage({ type: "keep-pages" });
  }).catch(function () {});
})();
