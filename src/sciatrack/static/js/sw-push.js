// Web Push for the service worker: importScripts("/static/js/sw-push.js") from sw.js.
// A push message is JSON {title, body, url}: it shows as a notification, and a tap opens its link.
// The text is only "time for ..." (never a health detail); the link stays on this site.
"use strict";

self.addEventListener("push", (event) => {
  let message = { title: "Sciatrack", body: "Time for today's exercises.", url: "/" };
  try {
    if (event.data) message = Object.assign(message, event.data.json());
  } catch (e) {
    // not JSON: keep the plain reminder
  }
  let url = "/";
  try {
    const parsed = new URL(message.url, self.location.origin);
    if (parsed.origin === self.location.origin) url = parsed.href;
  } catch (e) {
    // a bad link opens the home page
  }
  event.waitUntil(
    self.registration.showNotification(String(message.title), {
      body: String(message.body),
      data: { url: url },
      tag: "sciatrack-reminder",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
