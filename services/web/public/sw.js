/*
 * The service worker: the application opens without a network once visited. Pages and assets are served
 * from the cache when the network fails; hashed assets (/assets/…) never change, so the cached copy is
 * used first. What the signed-in user last read from the API (GET /v1/…: the treasurer's home, the reports
 * last seen) is kept too, network first: without a network the kept answer is served, marked with the
 * time it was fetched (X-Bukubesar-Cached-At) so the page says "data as of …". Writes are never cached:
 * entries made offline wait in the page's outbox. Signing in or out empties the data cache (the page
 * deletes DATA_CACHE, src/offline/dataCache.ts), so one user never sees another's kept data.
 */
const CACHE = "bukubesar-shell-v1";
/** Keep this name equal to DATA_CACHE in src/offline/dataCache.ts. */
const DATA_CACHE = "bukubesar-data-v1";
/** API reads that are not kept: the session (it holds the CSRF token) and the live alert stream. */
const NOT_KEPT = new Set(["/v1/session", "/v1/alerts/stream"]);
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
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== CACHE && name !== DATA_CACHE).map((name) => caches.delete(name)),
        ),
      )
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

/** A copy of a response with one more header (a fetched response's headers cannot be changed). */
const withHeader = async (response, name, value) => {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};

/** An API read: from the network, keeping a JSON 200; without a network, the kept answer, marked. */
const apiRead = async (request) => {
  try {
    const response = await fetch(request);
    const type = response.headers.get("content-type") ?? "";
    if (response.status === 200 && type.startsWith("application/json")) {
      const cache = await caches.open(DATA_CACHE);
      await cache.put(
        request,
        await withHeader(response.clone(), "x-bukubesar-fetched-at", new Date().toISOString()),
      );
    }
    return response;
  } catch (failure) {
    const kept = await (await caches.open(DATA_CACHE)).match(request);
    if (kept === undefined) throw failure;
    return withHeader(kept, "x-bukubesar-cached-at", kept.headers.get("x-bukubesar-fetched-at") ?? "");
  }
};

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/v1/")) {
    if (!NOT_KEPT.has(url.pathname)) event.respondWith(apiRead(event.request));
    return;
  }
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
