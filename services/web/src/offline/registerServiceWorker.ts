/** The service worker (public/sw.js) keeps the application shell so that it opens without a network. */
export const registerServiceWorker = (): void => {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  navigator.serviceWorker.register("/sw.js").catch(() => {
    // Without a service worker the application still works online; nothing to tell the user.
  });
};
