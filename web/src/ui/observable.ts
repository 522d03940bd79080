// A minimal observable for module-level state: components re-render through useObservable.
import { useEffect, useState } from "preact/hooks";

export class Observable {
  private listeners = new Set<() => void>();
  private version = 0;

  protected changed() {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get revision() {
    return this.version;
  }
}

export function useObservable<T extends Observable>(source: T): T {
  const [, setRevision] = useState(source.revision);
  useEffect(() => source.subscribe(() => setRevision(source.revision)), [source]);
  return source;
}
