// A component whose code is loaded with import() the first time it is shown (Vite puts it in its
// own chunk), so screens most people open rarely (the portal, group info) stay out of the
// initial JavaScript.
import type { ComponentType, FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then(
        (c) => {
          loaded = c;
          setReady((n) => n + 1);
        },
        () => {
          pending = null;
          setFailed(true);
        },
      );
    }, []);
    if (failed) return <p class="error" role="alert">This screen could not be loaded. Check your connection and reload.</p>;
    if (!loaded) return <p class="hint">Loading…</p>;
    const Loaded = loaded;
    return <Loaded {...props} />;
  };
}
