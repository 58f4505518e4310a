// The reminders page: allow or stop browser alerts on this device (Web Push with the site's VAPID key).
// It needs the service worker (registered by app.js) and sends the subscription to the server with the
// page's CSRF token.
"use strict";
(function () {
  const zone = document.getElementById("id_time_zone");
  if (zone && !zone.value && window.Intl) zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  const box = document.getElementById("push-device");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const status = document.getElementById("push-status");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  box.hidden = false;

  function say(text) { status.textContent = text; }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  function worker() {
    const waited = new Promise((resolve, reject) => setTimeout(() => reject(new Error("no worker")), 10000));
    return Promise.race([navigator.serviceWorker.ready, waited]);
  }

  document.getElementById("push-on").addEventListener("click", () => {
    say("Asking your browser…");
    Notification.requestPermission()
      .then((answer) => {
        if (answer !== "granted") throw new Error("not allowed");
        return worker();
      })
      .then((registration) =>
        registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) }),
      )
      .then((subscription) => post(box.dataset.subscribe, subscription.toJSON()))
      .then(() => {
        const tick = document.getElementById("id_by_push");
        if (tick) tick.checked = true;
        say("Alerts are on for this device. Press Save to keep your choice.");
      })
      .catch(() => say("Alerts could not be turned on. Check that this browser may show alerts."));
  });

  document.getElementById("push-off").addEventListener("click", () => {
    worker()
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) => {
        if (!subscription) return null;
        const endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(() => post(box.dataset.unsubscribe, { endpoint: endpoint }));
      })
      .then(() => say("Alerts are off for this device."))
      .catch(() => say("Alerts could not be stopped. Try again."));
  });

})();
