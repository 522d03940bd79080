// A component whose code is loaded with import() the first time it is shown, so screens most
// people open rarely stay out of the initial JavaScript.
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

export function lazy<P extends object>(load: () => Promise<FunctionComponent<P>>): FunctionComponent<P> {
  let loaded: FunctionComponent<P> | null = null;
  let loading: Promise<FunctionComponent<P>> | null = null;
  return function Lazy(props: P) {
    const [, setReady] = useState(false);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (loaded) return;
      loading ??= load();
      loading.then(
        (component) => {
          loaded = component;
          setReady(true);
        },
        () => {
          loading = null;
          setError("Could not load this part of the app. Check your connection and try again.");
        },
      );
    }, []);
    if (loaded) {
      const Component = loaded;
      return <Component {...props} />;
    }
    return <p class={error ? "error" : "hint"}>{error ?? "Loading…"}</p>;
  };
}
