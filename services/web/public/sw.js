/*
 * The service worker: the application opens without a network once visited. Pages and assets are served
 * from the cache when the network fails; hashed assets (/assets/…) never change, so the cached copy is
 * used first. API calls (/v1/…) are never cached here: entries made offline wait in the page's outbox.
 */
const CACHE = "bukubesar-shell-v1";
const SHELL = ["/", "/manifest.webmanifest", "/icon.svg"];

/** The page and every asset it names (its script and styles), so that the first visit is enough. */
const cacheShell = async () => {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  const page = await (await cache.match("/")).text();
  const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
  await cache.addAll(assets);
};

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

const fromNetworkKeeping = async (request) => {
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
};

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (
    event.request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/v1/")
  )
    return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.match(event.request).then((cached) => cached ?? fromNetworkKeeping(event.request)),
    );
    return;
  }
  // The page itself: the network first (a new build is picked up), the kept copy when offline.
  const key = event.request.mode === "navigate" ? "/" : event.request;
  event.respondWith(
    fromNetworkKeeping(event.request).catch(() =>
      caches.match(key).then((cached) => cached ?? Response.error()),
    ),
  );
});
