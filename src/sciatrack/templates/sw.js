// Sciatrack's service worker, served from the site's root by sciatrack.views.service_worker (/sw.js), so
// that it looks after every page. It keeps, for use without a connection:
// - the shell: the CSS, the scripts, the icons, the favicon, the manifest, the offline page, and each
//   exercise's drawings (kept when a page shows them, and all of a session's when its page is kept);
// - a signed-in person's pages: the today screen, the program, the session, the diary and the progress
//   page, under a cache named by the key base.html puts in <meta name="sciatrack-offline">, and only
//   one person's at a time.
// Every GET it handles goes to the network first; the kept copy is used only when that fails (or is slow
// and a copy is kept). It NEVER handles a write: any request that is not a GET goes straight to the
// network, untouched (what a person records offline waits in the page's outbox, not here). It never keeps
// the API, /accounts/, /clinic/ or /admin/.
"use strict";
{% if push_script %}
importScripts({{ push_script|safe }});  // the reminders' push and notification handlers
{% endif %}
var VERSION = "{{ version }}";
var SHELL = {{ shell|safe }};
var PAGES = {{ pages|safe }};
var OFFLINE_PAGE = {{ offline_page|safe }};

var PREFIX = "sciatrack-";
var SHELL_CACHE = PREFIX + "shell-" + VERSION;
var PAGES_PREFIX = PREFIX + "pages-";  // every version's; app.js deletes these on sign-out
var PAGES_NOW = PAGES_PREFIX + VERSION + "-";  // + the person's key
var NEVER = ["/api/", "/accounts/", "/clinic/", "/admin/"];
var SHELL_PATHS = [
  /^\/static\//,
  /^\/exercises\/[^/]+\/figure\.svg$/,
  /^\/exercises\/[^/]+\/steps\/\d+\/figure\.svg$/,
  /^\/favicon\.ico$/,
  /^\/manifest\.webmanifest$/
];
var PERSON = /<meta name="sciatrack-offline" content="([0-9a-f]+)">/;
var SESSION_DATA = /<script id="session-data" type="application\/json">([\s\S]*?)<\/script>/;
var STATIC_FILE = /(?:src|href)="(\/static\/[^"?#]+)"/g;
var SLOW_MS = 6000;  // a page slower than this comes from the cache while the network answer is kept
var FRESH_MS = 30 * 60 * 1000;  // a kept page younger than this is not fetched again in the background

// Bumped each time the kept pages are dropped: a page fetched before then is not kept after it.
var generation = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

// A new version drops the older caches; the person's pages are kept again, with the new shell's names in
// them, when their next page asks (app.js). The worker fetches pages by itself only when a signed-in
// patient's page asks it to.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== SHELL_CACHE && name.indexOf(PAGES_NOW) !== 0;
    });
    return Promise.all(old.map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return self.clients.claim();
  }));
});

// From app.js. A port sent with the message hears "done" when the work is done.
self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  var work = type === "keep-pages" ? keepPages() : type === "forget-pages" ? forgetPages("") : null;
  if (!work) return;
  var port = event.ports && event.ports[0];
  event.waitUntil(work.then(function () { if (port) port.postMessage("done"); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;  // writes go to the network untouched
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, request, url));
  } else if (SHELL_PATHS.some(function (pattern) { return pattern.test(url.pathname); })) {
    event.respondWith(shellFile(event, request));
  }
});

function isPage(url) {
  return url.search === "" && PAGES.indexOf(url.pathname) !== -1;
}

// A page: from the network; kept when it is one of the person's pages; else the kept copy, else the
// offline page.
function page(event, request, url) {
  var started = generation;
  var fromNetwork = fetch(request).then(function (response) {
    if (isPage(url)) event.waitUntil(keepPage(url.href, response.clone(), started));
    return response;
  });
  var kept = isPage(url) ? keptPage(url.href) : Promise.resolve(undefined);
  var slow = kept.then(function (copy) {
    if (!copy) return new Promise(function () {});  // no copy: wait for the network however long
    return new Promise(function (resolve) { setTimeout(function () { resolve(copy); }, SLOW_MS); });
  });
  return Promise.race([fromNetwork, slow]).catch(function () {
    return kept.then(function (copy) {
      return copy || caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE }).then(function (offline) {
        return offline || Response.error();
      });
    });
  });
}

function shellFile(event, request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.put(request, copy); }));
    }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: SHELL_CACHE, ignoreVary: true }).then(function (copy) {
      return copy || Response.error();
    });
  });
}

function personCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PAGES_NOW) === 0; });
  });
}

function keptPage(href) {
  return personCaches().then(function (names) {
    if (!names.length) return undefined;
    return caches.open(names[0]).then(function (cache) { return cache.match(href, { ignoreVary: true }); });
  });
}

// Drop every person's pages but the one named; all of them for "" (signed out: a page fetched before
// then is not kept after it).
function forgetPages(except) {
  if (!except) generation += 1;
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES_PREFIX) === 0 && name !== except;
    }).map(function (name) { return caches.delete(name); }));
  });
}

// Keep a page the network gave, under the key of the person it is for. A page with no key was drawn for
// no signed-in patient (signed out, or another kind of account): then no one's pages are kept any more.
function keepPage(href, response, started) {
  if (!response.ok || response.type !== "basic" || response.redirected) return Promise.resolve();
  return response.clone().text().then(function (text) {
    if (started !== generation) return undefined;  // signed out meanwhile
    var person = PERSON.exec(text);
    if (!person) return forgetPages("");
    var name = PAGES_NOW + person[1];
    return forgetPages(name).then(function () {
      return caches.open(name);
    }).then(function (cache) {
      return started === generation ? cache.put(href, response) : undefined;
    }).then(function () {
      return keepFiles(staticFiles(text).concat(figures(text)));
    });
  });
}

// The CSS and scripts a kept page names: the page works offline only with all of them (a page opened
// before the worker looked after it fetched them without it).
function staticFiles(text) {
  var urls = [];
  var found;
  STATIC_FILE.lastIndex = 0;
  while ((found = STATIC_FILE.exec(text)) !== null) urls.push(found[1]);
  return urls;
}

// Every drawing a kept session page may show: its steps are laid out in the browser, so without these a
// session started offline would have no pictures.
function figures(text) {
  var found = SESSION_DATA.exec(text);
  if (!found) return [];
  var data;
  try { data = JSON.parse(found[1]); } catch (error) { return []; }
  if (!data.figure_url || !data.exercises) return [];
  var urls = [];
  Object.keys(data.exercises).forEach(function (id) {
    urls.push(data.figure_url.replace("{id}", id));
    (data.exercises[id].steps || []).forEach(function (words, index) {
      urls.push(data.step_figure_url.replace("{id}", id).replace("{n}", String(index + 1)));
    });
  });
  return urls;
}

// Put in the shell each file not there yet.
function keepFiles(urls) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (copy) {
        if (copy) return undefined;
        return fetch(url).then(function (response) {
          if (response.ok) return cache.put(url, response);
        }).catch(function () {});
      });
    }));
  });
}

// Fetch the person's pages they have not opened lately, so that each is there when the connection goes.
// One round at a time (every page asks for one), stopped when the person signs out.
var keeping = null;
function keepPages() {
  if (!keeping) {
    keeping = keepPagesNow().then(function () { keeping = null; }, function () { keeping = null; });
  }
  return keeping;
}

function keepPagesNow() {
  var started = generation;
  return personCaches().then(function (names) {
    return names.length ? caches.open(names[0]) : null;
  }).then(function (cache) {
    return PAGES.reduce(function (done, path) {
      return done.then(function () {
        if (started !== generation) return undefined;
        var href = new URL(path, self.location.origin).href;
        return (cache ? cache.match(href, { ignoreVary: true }) : Promise.resolve(undefined)).then(function (copy) {
          var date = copy && Date.parse(copy.headers.get("Date") || "");
          if (date && Date.now() - date < FRESH_MS) return undefined;
          return fetch(href, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
            return keepPage(href, response, started);
          }).catch(function () {});
        });
      });
    }, Promise.resolve());
  });
}
