import { useEffect, useState } from "preact/hooks";

/** Hash routes (#/entry/new) need no server support and survive a reload offline. */
export const useRoute = (): string => {
  const read = () => window.location.hash.replace(/^#/, "") || "/";
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
};

export const go = (route: string): void => {
  window.location.hash = route;
};
